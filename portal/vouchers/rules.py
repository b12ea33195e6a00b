"""The scheme's rules as pure functions (no database), so they can be tested on
their own. See docs/vouchers.md for the plain-language version.

Eligibility rule implemented here: a person is eligible in calendar year Y if
their profile holds a Hong Kong identity card number and their date of birth
is in year Y - 65 or earlier. The scheme counts the calendar year in which a
person reaches 65, so someone born on 8 March 1961 is eligible from
1 January 2026 (before the birthday itself), and not on 31 December 2025.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
DOLLAR = Decimal("1")

# Why someone is not eligible, in plain words.
REASONS = {
    "no_profile": _("We do not have your personal details yet. Add your date of birth and Hong Kong identity card number on your account page."),
    "no_hkid": _("Elderly Health Care Vouchers are for holders of a Hong Kong identity card. Your account does not have a Hong Kong identity card number."),
    "no_date_of_birth": _("We need your date of birth to check your age. Add it on your account page."),
    "too_young": _("Vouchers start in the calendar year you turn 65. You can use them from 1 January %(year)s."),
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str = ""
    first_year: int | None = None

    @property
    def message(self) -> str:
        if self.eligible:
            return ""
        text = REASONS[self.reason]
        if self.reason == "too_young":
            return str(text) % {"year": self.first_year}
        return str(text)


def first_eligible_year(date_of_birth: date) -> int:
    return date_of_birth.year + settings.VOUCHER_ELIGIBLE_AGE


def eligibility(profile, on: date) -> Eligibility:
    """Eligibility of a resident profile (or None) on a given day."""
    if profile is None:
        return Eligibility(False, "no_profile")
    if not profile.is_hong_kong_resident:
        return Eligibility(False, "no_hkid")
    if profile.date_of_birth is None:
        return Eligibility(False, "no_date_of_birth")
    first_year = first_eligible_year(profile.date_of_birth)
    if on.year < first_year:
        return Eligibility(False, "too_young", first_year)
    return Eligibility(True, first_year=first_year)


def fee_in_hkd(amount_rmb: Decimal, hkd_per_rmb: Decimal) -> Decimal:
    """HKD = RMB x rate, rounded half-up to the cent."""
    return (Decimal(amount_rmb) * Decimal(hkd_per_rmb)).quantize(CENT, rounding=ROUND_HALF_UP)


def vouchers_for_fee(fee_hkd: Decimal) -> int:
    """Vouchers have a face value of HK$1: a claim uses the fee's whole dollars
    (rounded down), never more than the fee is worth."""
    return int(Decimal(fee_hkd).quantize(DOLLAR, rounding=ROUND_DOWN))


def allotment_credit(balance: int, annual: int | None = None, cap: int | None = None) -> int:
    """The yearly credit never lifts a balance above the cap: min(annual, cap - balance), at least 0."""
    annual = settings.VOUCHER_ANNUAL_AMOUNT_HKD if annual is None else annual
    cap = settings.VOUCHER_ACCUMULATION_CAP_HKD if cap is None else cap
    return max(0, min(annual, cap - balance))
