"""Identity document formats: validation, normalisation and masking.

The one implementation of every identity-number rule: the profile form, booking,
transfers, the service-point claim form and the centre console all call these
functions. What is published, and what is not (see docs/domain/identity.md):

- Hong Kong identity card: one or two letters, six digits, a check digit (0-9 or A)
  in brackets; check digit by weighted sum modulo 11 (published). A123456(3).
- Macao resident identity card: seven digits and a bracketed digit, written
  1234567(8) (older cards: 1/234567/8). The first digit is 1, 5 or 7: it says how
  the holder first got a card (1: cards issued since 1992, including all new
  ones; 5: holders, past or present, of a Portuguese identity card; 7: holders
  of the former "blue card"). It does not say permanent or non-permanent: that
  is printed on the card, not in the number. The bracketed digit is a check
  digit, but its algorithm is not published, so only the format is enforced.
- Certificate of Exemption (Hong Kong, issued by the Immigration Department to
  people exempt from holding an identity card; the Elderly Health Care Voucher
  Scheme accepts it): no published number format. We accept 6 to 16 letters,
  digits, slashes and brackets including at least four digits, and keep it in
  capitals without spaces.
- Mainland Travel Permit for Hong Kong and Macao Residents: H (Hong Kong) or M
  (Macao) and 8 digits (10 on some older permits). No published check digit.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HKID = "hkid"
MACAO_ID = "macao_id"
CERTIFICATE_OF_EXEMPTION = "coe"
TRAVEL_PERMIT = "travel_permit"

HKID_PATTERN = re.compile(r"^([A-Z]{1,2})([0-9]{6})\(?([0-9A])\)?$")
MACAO_ID_PATTERN = re.compile(r"^([157])([0-9]{6})\(?([0-9])\)?$")
TRAVEL_PERMIT_PATTERN = re.compile(r"^([HM])([0-9]{8}|[0-9]{10})$")
CERTIFICATE_OF_EXEMPTION_PATTERN = re.compile(r"^[A-Z0-9/()]{6,16}$")
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
    """Return the canonical form 1234567(8), or raise ValidationError. Accepts
    1234567(8), 1234567 8, 12345678 and the older 1/234567/8."""
    match = MACAO_ID_PATTERN.match(_compact(value).replace("/", ""))
    if not match:
        raise ValidationError(
            _("Enter a Macao resident identity card number like 1234567(8): seven digits starting with 1, 5 or 7, and the digit in brackets."),
            code="macao_id_format",
        )
    first, rest, check = match.groups()
    return f"{first}{rest}({check})"


def normalise_certificate_of_exemption(value: str) -> str:
    """Return the number in capitals without spaces, or raise ValidationError.
    The format is not published: see the module docstring."""
    compact = _compact(value)
    if not CERTIFICATE_OF_EXEMPTION_PATTERN.match(compact) or sum(ch.isdigit() for ch in compact) < 4:
        raise ValidationError(
            _("Enter the number printed on your Certificate of Exemption (letters, digits, slashes and brackets; at least four digits)."),
            code="coe_format",
        )
    return compact


def normalise_travel_permit(value: str) -> str:
    """Return the canonical form H12345678, or raise ValidationError."""
    compact = _compact(value)
    if not TRAVEL_PERMIT_PATTERN.match(compact):
        raise ValidationError(
            _("Enter a Mainland Travel Permit number: H (Hong Kong) or M (Macao) followed by 8 digits (10 on some older permits)."),
            code="travel_permit_format",
        )
    return compact


NORMALISERS = {
    HKID: normalise_hkid,
    MACAO_ID: normalise_macao_id,
    CERTIFICATE_OF_EXEMPTION: normalise_certificate_of_exemption,
    TRAVEL_PERMIT: normalise_travel_permit,
}


def normalise(document_type: str, value: str) -> str:
    """Normalise a number of the given document type (hkid, macao_id, coe,
    travel_permit), or raise ValidationError."""
    try:
        normaliser = NORMALISERS[document_type]
    except KeyError:
        raise ValidationError(_("Choose the kind of identity document."), code="document_type") from None
    return normaliser(value)


def detect(value: str) -> tuple[str, str]:
    """(document type, normalised number) of a number typed without its kind:
    a Hong Kong or Macao identity card or a travel permit, recognised by their
    formats. A Certificate of Exemption has no recognisable format, so it must
    be named (see `normalise`)."""
    compact = _compact(value)
    if HKID_PATTERN.match(compact):
        return HKID, normalise_hkid(compact)
    if TRAVEL_PERMIT_PATTERN.match(compact):
        return TRAVEL_PERMIT, compact
    if MACAO_ID_PATTERN.match(compact.replace("/", "")):
        return MACAO_ID, normalise_macao_id(compact)
    raise ValidationError(
        _("Enter a Hong Kong identity card number like A123456(3), a Macao one like 1234567(8), or a Mainland Travel Permit number like H12345678 or M12345678."),
        code="document_format",
    )


def travel_permit_issued_to(number: str) -> str:
    """"hong_kong" or "macao": the region whose residents hold a permit starting H or M."""
    return "macao" if number.upper().startswith("M") else "hong_kong"


def looks_like_full_number(value: str) -> bool:
    """True if `value` is a whole HKID, Macao identity card (with its bracket or
    slashes) or travel permit number: used where only the last digits may be
    typed. A bare eight-digit Macao number is indistinguishable from a phone
    number and is not caught here."""
    compact = _compact(value)
    if HKID_PATTERN.match(compact) or TRAVEL_PERMIT_PATTERN.match(compact):
        return True
    return bool(("(" in compact or "/" in compact) and MACAO_ID_PATTERN.match(compact.replace("/", "")))


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
