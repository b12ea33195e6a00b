"""Journey: a resident books, sees the booking in My appointments, changes the time
and cancels, in each of the three languages; and the same booking completed with
the keyboard alone (Tab, Shift+Tab, Enter, Space)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from tests import factories
from tests.appointments.factories import SlotFactory
from tests.browser.journey import check, languages, t

NAMES = {"en": "The University of Hong Kong-Shenzhen Hospital", "zh-hant": "香港大學深圳醫院", "zh-hans": "香港大学深圳医院"}


@pytest.fixture
def clinic(transactional_db):
    hospital = factories.HospitalFactory(slug="hku-szh", name_en=NAMES["en"], name_zh_hant=NAMES["zh-hant"],
                                         name_zh_hans=NAMES["zh-hans"])
    department = factories.DepartmentFactory(hospital=hospital)
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    first = SlotFactory(department=department, starts_at=start, ends_at=start + timedelta(minutes=30), capacity=2)
    second = SlotFactory(department=department, starts_at=start + timedelta(hours=1),
                         ends_at=start + timedelta(hours=1, minutes=30), capacity=2)
    return {"department": department, "first": first, "second": second}


def _resident(lang):
    return factories.ProfileFactory(user__email="browser@example.com", user__language=lang,
                                    travel_permit_number="H55556666").user


def _department_name(department, lang):
    with translation.override(lang):
        return department.display_name


@languages
def test_book_reschedule_cancel(page_in, login_as, snap, clinic, lang, locale):
    resident = _resident(lang)
    page = login_as(page_in(locale), resident)
    page.goto(f"/{lang}/appointments/")
    expect(page.get_by_role("heading", name=t(lang, "My appointments"), level=1)).to_be_visible()
    check(page, lang, snap, "my-appointments")
    page.get_by_role("link", name=NAMES[lang]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Book at %(hospital)s", hospital=NAMES[lang]))
    check(page, lang, snap, "hospital")
    page.get_by_role("link", name=_department_name(clinic["department"], lang)).click()
    expect(page.get_by_role("heading", name=t(lang, "Step 2 of 3: choose a day and time"))).to_be_visible()
    check(page, lang, snap, "department")
    page.get_by_role("link", name="09:00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Step 3 of 3: your details"))
    check(page, lang, snap, "details")

    page.get_by_label(t(lang, "Reason for your visit")).fill({"en": "Blood pressure follow-up"}.get(lang, "血壓覆診" if lang == "zh-hant" else "血压复诊"))
    page.get_by_label(t(lang, "Mainland Travel Permit for Hong Kong and Macao Residents"), exact=False).check()
    assert "H******66" in page.content() and "H55556666" not in page.content()  # masked, never in full
    page.get_by_role("button", name=t(lang, "Confirm booking")).click()

    expect(page.get_by_text(t(lang, "Your appointment is booked."))).to_be_visible()
    reference = page.locator("dd strong").first.inner_text()
    assert len(reference) == 8
    expect(page.get_by_role("link", name=t(lang, "Add to my calendar (.ics)"))).to_be_visible()
    check(page, lang, snap, "booked", allowed=[reference])

    page.get_by_role("link", name=t(lang, "My appointments")).first.click()
    expect(page.get_by_role("heading", name=t(lang, "Upcoming"))).to_be_visible()
    expect(page.get_by_text(reference)).to_be_visible()
    check(page, lang, snap, "listed", allowed=[reference])

    page.goto(f"/{lang}/appointments/{reference}/")
    page.get_by_role("link", name=t(lang, "Change the time")).click()
    check(page, lang, snap, "reschedule", allowed=[reference])
    page.get_by_role("button", name=t(lang, "Move to %(time)s", time="10:00")).click()
    expect(page.get_by_text(t(lang, "Your appointment is changed."))).to_be_visible()
    expect(page.locator("dl.details")).to_contain_text("10:00")
    check(page, lang, snap, "rescheduled", allowed=[reference])

    page.get_by_role("link", name=t(lang, "Cancel the appointment")).click()
    check(page, lang, snap, "cancel", allowed=[reference])
    page.get_by_role("button", name=t(lang, "Yes, cancel it")).click()
    expect(page.get_by_text(t(lang, "Your appointment is cancelled."))).to_be_visible()
    # Back on My appointments: the booking is under past and cancelled.
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "My appointments"))
    expect(page.get_by_role("heading", name=t(lang, "Past and cancelled"))).to_be_visible()
    expect(page.get_by_role("cell", name=t(lang, "Cancelled"))).to_be_visible()
    expect(page.get_by_text(t(lang, "You have no upcoming appointments."))).to_be_visible()
    check(page, lang, snap, "cancelled", allowed=[reference])
    assert not clinic["first"].appointments.filter(status="booked").exists()
    assert clinic["second"].appointments.get().status == "cancelled"


def _tab_to(page, predicate_js: str, *, limit: int = 60, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches; fails after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }}"):
            return
    raise AssertionError(f"Tab never reached an element matching {predicate_js} on {page.url}")


def _focus_link(page, text: str, **kw) -> None:
    _tab_to(page, f"el.tagName === 'A' && el.innerText.trim() === {text!r}", **kw)


@languages
def test_booking_with_the_keyboard_only(page_in, login_as, snap, clinic, lang, locale):
    resident = _resident(lang)
    page = login_as(page_in(locale), resident)
    page.goto(f"/{lang}/appointments/")
    _focus_link(page, NAMES[lang])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Book at %(hospital)s", hospital=NAMES[lang]))
    _focus_link(page, _department_name(clinic["department"], lang))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=t(lang, "Step 2 of 3: choose a day and time"))).to_be_visible()
    _focus_link(page, "09:00")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Step 3 of 3: your details"))

    # The reason: Tab into the text area and type.
    _tab_to(page, "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Follow-up" if lang == "en" else "覆診" if lang == "zh-hant" else "复诊")
    # The document: Tab to the travel-permit radio and select it with Space.
    _tab_to(page, "el.type === 'radio' && el.value === 'travel_permit'")
    page.keyboard.press("Space")
    expect(page.locator("input[type=radio][value=travel_permit]")).to_be_checked()
    # Past the button, then back with Shift+Tab, and press it with Enter.
    _tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Tab")
    _tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit' && el.closest('main')", backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_text(t(lang, "Your appointment is booked."))).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/{lang}/appointments/[A-Z0-9]{{8}}/$"))
    snap(page, "booked-by-keyboard")
    assert clinic["first"].appointments.get().status == "booked"
