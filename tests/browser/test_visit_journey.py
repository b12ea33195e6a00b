"""Journey (issue 19): in each language a resident books, opens the visit guide,
prints it (a PDF from the browser's print: A4, the right content, large type),
fills the health summary, prints the card for the mainland doctor in Simplified
Chinese, uploads a report after the visit, shares it with a service centre, and
sees the centre's read in their access log."""

import io
import re
import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from portal.visits.models import CrossingRoute, HospitalVisitInfo, VisitDocument
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.browser.journey import check, languages, t
from tests.browser.language_quality import language_problems

HOSPITAL = {"en": "The University of Hong Kong-Shenzhen Hospital", "zh-hant": "香港大學深圳醫院",
            "zh-hans": "香港大学深圳医院"}
REPORT = b"%PDF-1.4\n% mainland blood test report\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALLERGY = {"en": "Penicillin: rash", "zh-hant": "青黴素：出疹", "zh-hans": "青霉素：出疹"}
# Text outside every element marked with another language than the page's.
OWN_LANGUAGE_TEXT_JS = """(lang) => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang]').forEach((el) => { if (el.getAttribute('lang') !== lang) el.remove(); });
  copy.querySelectorAll('.language-switcher, script').forEach((el) => el.remove());
  return copy.textContent;
}"""


@pytest.fixture
def visit_world(transactional_db):
    hospital = factories.HospitalFactory(slug="hku-szh", name_en=HOSPITAL["en"], name_zh_hant=HOSPITAL["zh-hant"],
                                         name_zh_hans=HOSPITAL["zh-hans"], is_voucher_point=True)
    futian = factories.BorderPointFactory(code="futian", name_en="Futian Port", name_zh_hant="福田口岸",
                                          name_zh_hans="福田口岸")
    HospitalVisitInfo.objects.create(hospital=hospital, wechat_pay="yes", alipay="yes", cash="yes")
    CrossingRoute.objects.create(
        hospital=hospital, border_point=futian, transport_en="Hospital shuttle bus every 30 minutes.",
        transport_zh_hant="醫院穿梭巴士，每30分鐘一班。", transport_zh_hans="医院接驳巴士，每30分钟一班。",
        source_en="Shuttle report", source_zh_hant="穿梭巴士報道", source_zh_hans="接驳巴士报道", as_of="2026-01-05")
    department = factories.DepartmentFactory(hospital=hospital)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    SlotFactory(department=department, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    from tests.hospitals.factories import ConnectItemFactory

    item = ConnectItemFactory(slug="lorlatinib", generic_name_en="Lorlatinib", generic_name_zh_hant="勞拉替尼",
                              generic_name_zh_hans="劳拉替尼")
    centre = factories.ServiceCentreFactory(slug="gz-huangpu")
    from tests.conftest import _with_totp

    staff = _with_totp(factories.make_centre_staff(centre, email="staff@centre.example.com"))
    return {"department": department, "item": item, "centre": centre, "staff": staff}


def _resident(lang, centre):
    resident = factories.ProfileFactory(user__email="elder@example.com", user__language=lang,
                                        id_document_type="hkid", id_document_number="A1234563",
                                        travel_permit_number="H55556666").user
    factories.give_consent(resident, centre)
    return resident


def _pdf_text(pdf: bytes) -> tuple[list, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    # NFKC: the extracted text may use Kangxi radical code points for some characters (⾝ for 身).
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader.pages, unicodedata.normalize("NFKC", text)


def _print_check(page):
    """Print media: the site's header and navigation are gone and the type is large."""
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    size = float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px"))
    assert size >= 24, f"printed text is {size}px, not large type (18 pt = 24 px)"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    page.emulate_media(media="screen")
    pages, text = _pdf_text(pdf)
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3, (width, height)  # A4 in points
    return pages, re.sub(r"\s+", "", text)


@languages
def test_visit_guide_summary_and_records(page_in, login_as, snap, visit_world, lang, locale):
    from django.test import Client

    from tests.conftest import sign_in

    resident = _resident(lang, visit_world["centre"])
    allowed = ["CHAN Tai Man", "Futian Port"]
    page = login_as(page_in(locale), resident)

    # Book.
    page.goto(f"/{lang}/appointments/")
    page.get_by_role("link", name=HOSPITAL[lang]).click()
    with translation.override(lang):
        department_name = visit_world["department"].display_name
    page.get_by_role("link", name=department_name).first.click()
    page.get_by_role("link", name="09:00").click()
    page.get_by_label(t(lang, "Reason for your visit")).fill({"en": "Check-up"}.get(lang, "身體檢查" if lang == "zh-hant" else "身体检查"))
    page.get_by_label(t(lang, "Hong Kong identity card"), exact=False).first.check()
    page.get_by_role("button", name=t(lang, "Confirm booking")).click()
    expect(page.get_by_text(t(lang, "Your appointment is booked."))).to_be_visible()
    reference = page.locator("dd strong").first.inner_text()
    # The reference is a code, and may be all letters (one time in ten): never English.
    allowed.append(reference)

    # The visit guide.
    page.get_by_role("link", name=t(lang, "Open the visit guide (what to bring, how to get there, how to pay)")).click()
    expect(page.get_by_role("heading", name=t(lang, "Visit guide"), level=1)).to_be_visible()
    guide = page.locator("article.visit-guide")
    expect(guide).to_contain_text(t(lang, "Your Hong Kong identity card"))
    expect(guide).to_contain_text(t(lang, "Your Mainland Travel Permit for Hong Kong and Macao Residents (Home Return Permit)"))
    expect(guide).to_contain_text({"en": "Hospital shuttle bus every 30 minutes."}.get(
        lang, "醫院穿梭巴士，每30分鐘一班。" if lang == "zh-hant" else "医院接驳巴士，每30分钟一班。"))
    expect(guide).to_contain_text(t(lang, "WeChat Pay"))
    expect(guide).to_contain_text(t(lang, "Not known to the portal: check before you travel."))
    check(page, lang, snap, "visit-guide", allowed=allowed)

    # Print it: A4, large type, the guide's content in the PDF.
    pages, text = _print_check(page)
    snap(page, "visit-guide-printed")
    for expected in (reference, t(lang, "Documents to bring"), t(lang, "Your Hong Kong identity card")):
        assert re.sub(r"\s+", "", expected) in text, expected
    assert t(lang, "Sign out") not in text  # the site's navigation is not printed
    assert len(pages) <= 4

    # The health summary, then the card for the mainland doctor.
    page.get_by_role("link", name=t(lang, "The health summary: medicines, allergies and conditions, with a card for the mainland doctor")).click()
    page.get_by_label(visit_world["item"].generic_name_en if lang == "en" else (
        "勞拉替尼" if lang == "zh-hant" else "劳拉替尼")).check()
    page.get_by_role("textbox", name=t(lang, "allergies").capitalize() if lang == "en" else t(lang, "allergies")).fill(
        ALLERGY[lang])
    page.get_by_label(t(lang, "Emergency contact's phone")).fill("+852 9123 4567")
    check(page, lang, snap, "health-summary", allowed=allowed)
    page.get_by_role("button", name=t(lang, "Save the health summary")).click()
    expect(page.get_by_text(t(lang, "The health summary is saved."))).to_be_visible()
    page.get_by_role("link", name=t(lang, "Open the card for the mainland doctor")).click()
    card = page.locator("article.summary-card")
    expect(card.locator('[lang="zh-hans"]').first).to_contain_text("健康摘要")
    expect(card.locator('[lang="zh-hans"]').filter(has_text="目前用药").first).to_contain_text("劳拉替尼")
    expect(card).to_contain_text(ALLERGY[lang])
    if lang != "zh-hans":  # the resident's own language beside the Simplified Chinese
        expect(card.locator(f'[lang="{lang}"]').first).to_contain_text(t(lang, "Health summary"))
    # Text in the page's language passes the language checks; the rest is marked with its lang.
    problems = language_problems(page.evaluate(OWN_LANGUAGE_TEXT_JS, lang), lang, allowed)
    assert not problems, problems
    snap(page, "doctor-card")
    _pages, card_text = _print_check(page)
    assert "健康摘要" in card_text and "劳拉替尼" in card_text and "过敏" in card_text

    # After the visit: upload the report and share it with the centre.
    page.goto(f"/{lang}/visits/{reference}/documents/")
    page.locator('input[type="file"][name="file"]').set_input_files(
        files=[{"name": "blood-test.pdf", "mimeType": "application/pdf", "buffer": REPORT}])
    page.get_by_role("button", name=t(lang, "Upload")).click()
    expect(page.get_by_text(t(lang, "The document is stored. Only you can see it until you share it."))).to_be_visible()
    check(page, lang, snap, "document-uploaded", allowed=[*allowed, "blood-test", "pdf", "JPEG", "PNG", "MB"])
    centre_name = getattr(visit_world["centre"], f"name_{lang.replace('-', '_')}")
    page.get_by_label(t(lang, "Share with")).select_option(label=centre_name)
    page.get_by_role("button", name=t(lang, "Save sharing")).click()
    expect(page.get_by_text(t(lang, "Shared with %(centre)s.", centre=centre_name))).to_be_visible()
    document = VisitDocument.objects.get(resident=resident)
    assert document.shared_with == visit_world["centre"]

    # The centre's staff open it (with the reason for opening the case) ...
    staff = sign_in(Client(), visit_world["staff"])
    staff.post(f"/en/centre/residents/{resident.pk}/open/", {"reason": "enquiry", "other": ""})
    download = staff.get(f"/en/visits/documents/{document.pk}/download/")
    assert download.status_code == 200, download.get("Location")
    assert b"".join(download.streaming_content) == REPORT

    # ... and the resident sees it in their access log.
    page.get_by_role("link", name=t(lang, "Who has opened my details (access log)")).click()
    log = page.locator("table")
    expect(log).to_contain_text(t(lang, "Document from a visit"))
    expect(log).to_contain_text(centre_name)
    check(page, lang, snap, "access-log", allowed=allowed)
