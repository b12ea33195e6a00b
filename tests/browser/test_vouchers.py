"""Journey: an eligible resident sees the balance (from the voucher system simulator,
labelled as such) and a claim recorded by a service point, confirms it, and sees
the new balance and the statement, in each of the three languages."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.formatting import money
from portal.vouchers import services
from portal.vouchers.models import ExchangeRate
from tests import factories
from tests.browser.journey import check, in_language, languages, t

CODES = ["APT"]  # the visit reference APT-7 is a code
NAMES = {"en": "The University of Hong Kong-Shenzhen Hospital", "zh-hant": "香港大學深圳醫院", "zh-hans": "香港大学深圳医院"}


@pytest.fixture
def pending_claim(transactional_db):
    from portal.hospitals.models import HospitalMembership

    hospital = factories.HospitalFactory(slug="hku-szh", name_en=NAMES["en"], name_zh_hant=NAMES["zh-hant"],
                                         name_zh_hans=NAMES["zh-hans"], is_voucher_point=True,
                                         voucher_since=date(2015, 10, 6))
    cashier = factories.UserFactory(email="cashier@hku-szh.example.com", is_staff=True)
    HospitalMembership.objects.create(user=cashier, hospital=hospital)
    department = factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)
    ExchangeRate.objects.create(month=timezone.localdate(), hkd_per_rmb=Decimal("1.08500"))
    return {"cashier": cashier, "department": department}


@languages
def test_see_and_confirm_a_voucher_claim(page_in, login_as, snap, pending_claim, lang, locale, settings):
    settings.VOUCHER_REGISTRY = "portal.vouchers.simulator.SimulatedVoucherRegistry"
    elder = factories.ProfileFactory(
        user__email="elder@example.com", user__language=lang, date_of_birth=date(1954, 3, 8),
        id_document_type="hkid", id_document_number="A123456(3)").user
    services.account_open(user=elder)
    services.claim_record(actor=pending_claim["cashier"], resident=elder, department=pending_claim["department"],
                          service_date=timezone.localdate(), amount_rmb=Decimal("100.00"), visit_reference="APT-7")

    page = login_as(page_in(locale), elder)
    page.goto(f"/{lang}/vouchers/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My Elderly Health Care Vouchers"))
    expect(page.get_by_test_id("balance")).to_have_text(in_language(lang, money, 8000))  # born 1954: every year since 2019, capped
    expect(page.get_by_test_id("simulator-notice")).to_be_visible()
    expect(page.get_by_test_id("balance-source")).to_contain_text(t(lang, "Voucher system simulator"))
    expect(page.locator(".claim")).to_contain_text(NAMES[lang])
    expect(page.get_by_role("heading", name=t(lang, "Claims waiting for your confirmation"))).to_be_visible()
    check(page, lang, snap, "claim-waiting", allowed=CODES + [elder.display_name])

    page.get_by_role("button", name=t(lang, "Confirm and pay %(amount)s", amount=in_language(lang, money, 108))).click()
    expect(page.get_by_test_id("balance")).to_have_text(in_language(lang, money, 7892))
    expect(page.locator(".messages")).to_be_visible()
    expect(page.get_by_text(t(lang, "No claims are waiting for you."))).to_be_visible()
    check(page, lang, snap, "confirmed", allowed=CODES + [elder.display_name])

    page.get_by_role("link", name=t(lang, "Printable statement")).first.click()
    expect(page.get_by_test_id("statement-balance")).to_contain_text(in_language(lang, money, 7892))
    expect(page.locator("table")).to_contain_text("APT-7")
    assert "A****56(*)" in page.content() and "A123456" not in page.content()
    check(page, lang, snap, "statement", allowed=CODES + [elder.display_name])
