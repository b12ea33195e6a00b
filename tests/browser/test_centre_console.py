"""Journey: a staff member helping a resident, in each of the three languages. The
resident consents; centre staff find them in the console, open the case with a
reason, see the case and request an escort for them; the resident sees the
escort and the access-log entry."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import Profile
from tests import factories
from tests.browser.journey import check, languages, t
from tests.conftest import _with_totp

CENTRE = {"en": "HK-Macao Residents (Guangzhou) Health Service Centre", "zh-hant": "港澳居民（廣州）健康服務中心",
          "zh-hans": "港澳居民（广州）健康服务中心"}
HOSPITAL = {"en": "Guangzhou Development District Hospital", "zh-hant": "廣州開發區醫院", "zh-hans": "广州开发区医院"}


@pytest.fixture
def people(transactional_db):
    centre = factories.ServiceCentreFactory(slug="gz-huangpu", name_en=CENTRE["en"], name_zh_hant=CENTRE["zh-hant"],
                                            name_zh_hans=CENTRE["zh-hans"])
    hospital = factories.HospitalFactory(slug="gdd-hospital", name_en=HOSPITAL["en"],
                                         name_zh_hant=HOSPITAL["zh-hant"], name_zh_hans=HOSPITAL["zh-hans"])
    staff = _with_totp(factories.make_centre_staff(centre, email="staff@gz-centre.example.com"))
    factories.ProfileFactory(user=staff, name_en="ZHANG Min", name_zh="张敏")
    return {"centre": centre, "hospital": hospital, "staff": staff}


@languages
def test_staff_member_helps_a_resident(page_in, login_as, snap, people, lang, locale):
    staff = people["staff"]
    resident = factories.ProfileFactory(
        user__email="resident@example.com", user__language=lang, id_document_type=Profile.DocumentType.HKID,
        id_document_number="A123456(3)", phone="+85291234567",
        # A person's Chinese name is shown as registered; the script checker cannot
        # tell a name from prose, so the resident here writes it in the page's script.
        name_zh="陈大文" if lang == "zh-hans" else "陳大文",
    ).user
    name = resident.display_name
    # Proper names: the resident's, the escort's, and the romanised example name in
    # the console's search hint (staff search by either script).
    names = [name, "ZHANG Min", "CHAN Tai Man"]

    # 1. The resident gives the centre consent.
    resident_page = login_as(page_in(locale), resident)
    resident_page.goto(f"/{lang}/centre/consent/")
    check(resident_page, lang, snap, "consent", allowed=names)
    resident_page.get_by_role("combobox", name=t(lang, "Service centre")).select_option(label=CENTRE[lang])
    expect(resident_page.get_by_label(t(lang, "12 months (recommended)"))).to_be_checked()
    resident_page.get_by_label(
        t(lang, "I have read what the centre's staff will be able to see and do, and I agree.")).check()
    resident_page.get_by_role("button", name=t(lang, "Give consent")).click()
    expect(resident_page.get_by_text(t(lang, "%(centre)s can now assist you.", centre=CENTRE[lang]))).to_be_visible()
    check(resident_page, lang, snap, "consented", allowed=names)

    # 2. Staff find the resident by the last 4 digits; the full number is nowhere.
    staff_page = login_as(page_in(locale), staff)
    staff_page.goto(f"/{lang}/centre/")
    check(staff_page, lang, snap, "console", allowed=names)
    staff_page.get_by_label(t(lang, "Name, phone number or last 4 digits of the identity card")).fill("3456")
    staff_page.get_by_role("button", name=t(lang, "Search")).click()
    expect(staff_page.get_by_text("A****56(*)")).to_be_visible()
    assert "A123456" not in staff_page.content()
    check(staff_page, lang, snap, "search-results", allowed=names)
    staff_page.get_by_role("link", name=t(lang, "Open the case of %(name)s", name=name)).click()

    # 3. Opening the case asks why; the case view says why it was opened.
    check(staff_page, lang, snap, "case-open", allowed=names)
    staff_page.get_by_label(t(lang, "Arranging an escort")).check()
    staff_page.get_by_role("button", name=t(lang, "Open the case")).click()
    expect(staff_page.get_by_role("heading", name=t(lang, "Case: %(name)s", name=name))).to_be_visible()
    expect(staff_page.get_by_text(t(lang, "Opened for: %(why)s. This visit is in the resident's access log.",
                                    why=t(lang, "Arranging an escort")))).to_be_visible()
    check(staff_page, lang, snap, "case", allowed=names)

    # 4. Staff request an escort on the resident's behalf and assign themselves.
    staff_page.get_by_role("link", name=t(lang, "Request an escort"), exact=True).click()
    check(staff_page, lang, snap, "escort-form", allowed=names)
    staff_page.get_by_role("combobox", name=t(lang, "Language the escort should speak")).select_option(
        label=t(lang, "Cantonese"))
    staff_page.get_by_role("combobox", name=t(lang, "Hospital")).select_option(label=HOSPITAL[lang])
    visit = timezone.localtime() + timedelta(days=4)
    staff_page.get_by_label(t(lang, "Date and time of the visit")).fill(visit.strftime("%Y-%m-%dT10:30"))
    staff_page.get_by_label(t(lang, "Appointment reference (if you have one)")).fill("GZ-2026-778")
    staff_page.get_by_role("button", name=t(lang, "Request the escort")).click()
    expect(staff_page.get_by_text(t(lang, "The escort request has been recorded for %(name)s.", name=name))).to_be_visible()
    staff_page.get_by_role("link", name=t(lang, "Escort requests")).first.click()
    check(staff_page, lang, snap, "escorts", allowed=names + ["GZ"])
    staff_page.get_by_role("combobox", name=t(lang, "Escort")).select_option(label="ZHANG Min")
    staff_page.get_by_role("button", name=t(lang, "Assign")).click()
    expect(staff_page.get_by_text(t(lang, "%(escort)s will escort %(resident)s. Both have been told.",
                                    escort="ZHANG Min", resident=name))).to_be_visible()

    # 5. The resident sees the escort and who looked at their details, and why.
    resident_page.goto(f"/{lang}/centre/my-escorts/")
    row = resident_page.get_by_role("row").filter(has_text="GZ-2026-778")
    expect(row.get_by_text(t(lang, "Escort assigned"))).to_be_visible()
    expect(row.get_by_text(t(lang, "Your escort: %(name)s", name="ZHANG Min"))).to_be_visible()
    check(resident_page, lang, snap, "my-escorts", allowed=names + ["GZ"])
    resident_page.goto(f"/{lang}/accounts/profile/")
    resident_page.get_by_role("link", name=t(lang, "Who has looked at your details (access log)")).click()
    log_row = resident_page.get_by_role("row").filter(has_text="ZHANG Min")
    expect(log_row.get_by_text(t(lang, "Arranging an escort")).first).to_be_visible()
    check(resident_page, lang, snap, "access-log", allowed=names)
