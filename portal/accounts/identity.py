"""Identity document formats: validation, normalisation and masking.

The rules are the published ones (see docs/domain/FACTS.md in this repository):
- Hong Kong identity card: one or two letters, six digits, a check digit (0-9 or A)
  in brackets; check digit by weighted sum modulo 11.
- Macao resident identity card: seven digits and a bracketed check digit, written
  1234567(8). The first digit encodes the card type (1, 5 or 7 on current cards).
  The check-digit algorithm is not published, so only the format is enforced.
- Mainland Travel Permit for Hong Kong and Macao Residents: H or M and 8 digits
  (10 on some older cards).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HKID_PATTERN = re.compile(r"^([A-Z]{1,2})([0-9]{6})\(?([0-9A])\)?$")
MACAO_ID_PATTERN = re.compile(r"^([157])([0-9]{6})\(?([0-9])\)?$")
TRAVEL_PERMIT_PATTERN = re.compile(r"^([HM])([0-9]{8}|[0-9]{10})$")
MACAO_CARD_TYPES = frozenset("157")


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def hkid_check_digit(prefix: str, digits: str) -> str:
    """Weighted sum modulo 11; a one-letter prefix is padded with a space worth 36."""
    letters = prefix.rjust(2)
    values = [36 if ch == " " else ord(ch) - ord("A") + 10 for ch in letters]
    values += [int(d) for d in digits]
    total = sum(value * weight for value, weight in zip(values, range(9, 1, -1), strict=True))
    remainder = (11 - total % 11) % 11
    return "A" if remainder == 10 else str(remainder)


def normalise_hkid(value: str) -> str:
    """Return the canonical form A123456(3), or raise ValidationError."""
    match = HKID_PATTERN.match(_compact(value))
    if not match:
        raise ValidationError(
            _("Enter a Hong Kong identity card number like A123456(3): one or two letters, six digits and the check digit."),
            code="hkid_format",
        )
    prefix, digits, check = match.groups()
    if hkid_check_digit(prefix, digits) != check:
        raise ValidationError(
            _("This Hong Kong identity card number is not valid: please check the digit in brackets."),
            code="hkid_check_digit",
        )
    return f"{prefix}{digits}({check})"


def normalise_macao_id(value: str) -> str:
    """Return the canonical form 1234567(8), or raise ValidationError."""
    match = MACAO_ID_PATTERN.match(_compact(value))
    if not match:
        raise ValidationError(
            _("Enter a Macao resident identity card number like 1234567(8): seven digits starting with 1, 5 or 7, and the digit in brackets."),
            code="macao_id_format",
        )
    first, rest, check = match.groups()
    return f"{first}{rest}({check})"


def normalise_travel_permit(value: str) -> str:
    """Return the canonical form H12345678, or raise ValidationError."""
    compact = _compact(value)
    if not TRAVEL_PERMIT_PATTERN.match(compact):
        raise ValidationError(
            _("Enter a Mainland Travel Permit number: H (Hong Kong) or M (Macao) followed by 8 digits (10 on some older permits)."),
            code="travel_permit_format",
        )
    return compact


def mask_identity_number(value: str) -> str:
    """Show only the first character and the last two characters before the
    bracket, e.g. A123456(3) -> A****56(*). Used everywhere a number is displayed."""
    if not value:
        return ""
    head, _sep, _tail = value.partition("(")
    if len(head) <= 3:
        return "*" * len(head)
    masked = head[0] + "*" * (len(head) - 3) + head[-2:]
    return masked + ("(*)" if "(" in value else "")


def last_digits(value: str, count: int = 4) -> str:
    """The last digits of the number part, used by centre staff to find a resident."""
    head = value.partition("(")[0]
    return re.sub(r"\D", "", head)[-count:]
