"""Issue #17: a Macao resident's journey in a Macao browser (Traditional Chinese):
sign up, verify the e-mail, sign in, add a Macao resident identity card typed with a
space and an M-prefix travel permit (both shown masked), find a Hengqin clinic that
takes Macao's medical vouchers, check the medical insurance subsidy, and book at
that clinic's hospital page with the Macao identity card as the document to bring."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.formatting import colon, money, when
from portal.vouchers import reference
from portal.vouchers.models import MacaoVoucherPlace
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.browser.journey import check, in_language, t

LANG, LOCALE = "zh-hant", "zh-MO"
EMAIL = "macao.resident@example.com"
PASSWORD = "Guia lighthouse at dusk 2026"
EMAIL_LABEL = re.compile(r"^電郵(地址)?[:：]?$")
PASSWORD_LABEL = re.compile(r"^密碼[:：]?$")
PASSWORD_AGAIN_LABEL = re.compile(r"^密碼\s*[(（]再次輸入[)）][:：]?$")
CLINIC = {"en": "Hengqin Macao Family Clinic", "zh-hant": "橫琴澳門家庭診所", "zh-hans": "横琴澳门家庭诊所"}


@pytest.fixture
def hengqin_clinic(transactional_db):
    reference.load_macao()
    city = factories.CityFactory(code="zhuhai", name_en="Zhuhai", name_zh_hant="珠海", name_zh_hans="珠海")
    hospital = factories.HospitalFactory(slug="hengqin-macao-family", name_en=CLINIC["en"],
                                         name_zh_hant=CLINIC["zh-hant"], name_zh_hans=CLINIC["zh-hans"], city=city)
    department = factories.DepartmentFactory(hospital=hospital)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    SlotFactory(department=department, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    MacaoVoucherPlace.objects.create(
        slug="hengqin-macao-family", name_en=CLINIC["en"], name_zh_hant=CLINIC["zh-hant"],
        name_zh_hans=CLINIC["zh-hans"], area_en="Hengqin", area_zh_hant="橫琴", area_zh_hans="横琴",
        vouchers=MacaoVoucherPlace.Vouchers.ACCEPTED, hospital=hospital, source_en="Test data",
        source_zh_hant="測試資料", source_zh_hans="测试资料", as_of=date(2026, 11, 1))
    return hospital


def test_macao_resident_signs_up_finds_a_hengqin_clinic_and_books(page_in, snap, mailoutbox, django_user_model,
                                                                   hengqin_clinic):
    page = page_in(LOCALE)

    # 1. Sign up, verify the e-mail, sign in: a Macao browser gets Traditional Chinese.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/zh-hant/$"))
    page.get_by_role("navigation").get_by_role("link", name="建立帳戶", exact=True).click()
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="註冊").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/accounts/confirm-email/$"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.locator("main").get_by_role("button", name="確認").click()
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登入").click()
    expect(page).to_have_url(re.compile(r"/zh-hant/dashboard/$"))
    snap(page, "signed-in")

    # 2. The Macao identity card typed with a space, and the M permit: saved, shown masked.
    page.goto(f"/{LANG}/accounts/profile/edit/")
    page.locator('input[name="name_zh"]').fill("黃美玲")
    page.locator('input[name="date_of_birth"]').fill("1956-07-01")
    page.locator('select[name="id_document_type"]').select_option("macao_id")
    page.locator('input[name="id_document_number"]').fill("1234567 8")
    page.locator('input[name="travel_permit_number"]').fill("m87654321")
    page.locator("main").get_by_role("button", name=t(LANG, "Save")).click()
    expect(page).to_have_url(re.compile(r"/zh-hant/accounts/profile/$"))
    details = page.locator("dl.details")
    expect(details).to_contain_text(f"{t(LANG, 'Macao resident identity card')}{in_language(LANG, colon)}1****67(*)")
    expect(details).to_contain_text("M******21")
    assert "1234567" not in page.content() and "87654321" not in page.content()
    profile = django_user_model.objects.get(email=EMAIL).profile
    assert (profile.id_document_number, profile.travel_permit_number) == ("1234567(8)", "M87654321")
    check(page, LANG, snap, "profile", allowed=[EMAIL])

    # 3. Vouchers: not Hong Kong's for a Macao resident, but Macao's own schemes.
    page.get_by_role("navigation").get_by_role("link", name=t(LANG, "Vouchers"), exact=True).click()
    page.get_by_role("link", name=t(LANG, "Macao's medical vouchers and insurance subsidy")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Macao's medical vouchers and insurance subsidy"))
    expect(page.get_by_test_id("medical-subsidy-amount")).to_contain_text(in_language(LANG, money, 600, "MOP"))
    clinic = page.get_by_test_id("macao-place-hengqin-macao-family")
    expect(clinic).to_contain_text(t(LANG, "Takes Macao medical vouchers"))
    expect(clinic).to_contain_text(in_language(LANG, when, date(2026, 11, 1), "date"))  # as of when
    check(page, LANG, snap, "macao-schemes", allowed=[EMAIL])

    # 4. The medical insurance subsidy check, from the answers of a 70-year-old in Zhuhai.
    page.locator('select[name="lives_in"]').select_option("zhuhai")
    for name in ("has_residence_permit", "has_macao_id", "insured"):
        page.locator(f'input[name="{name}"][value="yes"]').check()
    expect(page.locator('input[name="date_of_birth"]')).to_have_value("1956-07-01")  # from the profile
    page.get_by_role("button", name=t(LANG, "Check"), exact=True).click()
    result = page.get_by_test_id("insurance-result")
    expect(result).to_contain_text(t(LANG, "You appear to qualify."))
    expect(result).to_contain_text(t(LANG, "Where to apply"))
    expect(result).to_contain_text(in_language(LANG, money, 1000, "MOP"))
    check(page, LANG, snap, "insurance-check", allowed=[EMAIL])

    # 5. Book at the clinic's hospital page, bringing the Macao identity card.
    page.get_by_test_id("macao-place-hengqin-macao-family").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLINIC[LANG])
    page.get_by_role("link", name=t(LANG, "Book an appointment here")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Book at %(hospital)s", hospital=CLINIC[LANG]))
    page.get_by_role("link", name="全科").click()
    page.get_by_role("link", name="09:00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(LANG, "Step 3 of 3: your details"))
    page.get_by_label(t(LANG, "Reason for your visit")).fill("覆診")
    document = page.get_by_label(f"{t(LANG, 'Macao resident identity card')} (1****67(*))")
    document.check()
    assert "1234567" not in page.content()
    check(page, LANG, snap, "details", allowed=[EMAIL])
    page.get_by_role("button", name=t(LANG, "Confirm booking")).click()
    expect(page.get_by_text(t(LANG, "Your appointment is booked."))).to_be_visible()
    appointment = django_user_model.objects.get(email=EMAIL).appointments.get()
    assert appointment.id_document == "macao_id" and appointment.slot.department.hospital == hengqin_clinic
    snap(page, "booked")
