"""Eligibility (calendar-year rule, HKID or Certificate of Exemption), RMB -> HKD
conversion and rounding. The voucher system's own rules: test_scheme_rules.py."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.vouchers import rules


def profile(born=date(1961, 3, 8), kind="hkid", number="A123456(3)"):
    return SimpleNamespace(date_of_birth=born, id_document_type=kind, id_document_number=number)


def test_eligible_from_1_january_of_the_year_of_the_65th_birthday():
    person = profile(born=date(1961, 3, 8))
    assert not rules.eligibility(person, date(2025, 12, 31)).eligible
    assert rules.eligibility(person, date(2026, 1, 1)).eligible


def test_the_day_before_and_on_the_65th_birthday_are_both_eligible():
    person = profile(born=date(1961, 3, 8))
    assert rules.eligibility(person, date(2026, 3, 7)).eligible
    assert rules.eligibility(person, date(2026, 3, 8)).eligible


def test_born_on_31_december_is_eligible_all_year_of_the_65th_birthday():
    person = profile(born=date(1961, 12, 31))
    assert rules.eligibility(person, date(2026, 1, 1)).eligible
    assert not rules.eligibility(person, date(2025, 12, 31)).eligible


def test_too_young_says_from_when_in_plain_words():
    check = rules.eligibility(profile(born=date(1962, 5, 1)), date(2026, 6, 1))
    assert (check.eligible, check.reason, check.first_year) == (False, "too_young", 2027)
    assert "1 January 2027" in check.message


@pytest.mark.parametrize(("person", "reason", "words"), [
    (None, "no_profile", "personal details"),
    (profile(kind="macao_id", number="1234567(8)"), "no_hkid", "Hong Kong identity card"),
    (profile(number=""), "no_hkid", "Hong Kong identity card"),
    (profile(born=None), "no_date_of_birth", "date of birth"),
])
def test_ineligible_reasons(person, reason, words):
    check = rules.eligibility(person, date(2026, 6, 1))
    assert not check.eligible and check.reason == reason and words in check.message


def test_a_certificate_of_exemption_is_an_eligibility_document():
    assert rules.eligibility(profile(kind="coe", number="CE123456/78"), date(2026, 6, 1)).eligible
    assert not rules.eligibility(profile(kind="coe", number=""), date(2026, 6, 1)).eligible


def test_eligible_age_is_a_setting(settings):
    settings.VOUCHER_ELIGIBLE_AGE = 70
    assert not rules.eligibility(profile(born=date(1961, 1, 1)), date(2026, 6, 1)).eligible


@pytest.mark.parametrize(("rmb", "rate", "hkd", "vouchers"), [
    ("100.00", "1.08500", "108.50", 108),
    ("100.01", "1.08500", "108.51", 108),   # 108.51085 -> 108.51
    ("0.10", "1.08500", "0.11", 0),         # 0.1085 -> 0.11 (half-up at the third decimal)
    ("1.00", "1.08450", "1.08", 1),         # 1.0845 -> 1.08 (below half)
    ("1.00", "1.08550", "1.09", 1),         # 1.0855 -> 1.09 (exactly half rounds up)
    ("921.66", "1.08500", "1000.00", 1000),  # 999.9981 -> 1000.00
    ("921.65", "1.08500", "999.99", 999),    # a claim never takes more than the fee is worth
])
def test_conversion_rounds_half_up_to_the_cent_and_vouchers_down_to_the_dollar(rmb, rate, hkd, vouchers):
    fee = rules.fee_in_hkd(Decimal(rmb), Decimal(rate))
    assert fee == Decimal(hkd)
    assert rules.vouchers_for_fee(fee) == vouchers


@given(rmb=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
       rate=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("2"), places=5))
def test_vouchers_never_exceed_the_fee_and_fall_short_by_less_than_a_dollar(rmb, rate):
    fee = rules.fee_in_hkd(rmb, rate)
    assert abs(fee - rmb * rate) <= Decimal("0.005")
    assert 0 <= fee - rules.vouchers_for_fee(fee) < 1


