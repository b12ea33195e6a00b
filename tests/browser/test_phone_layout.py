"""Phone-first layout (issue 18, item 5), on the demo data set so every role's pages
are covered: at 320px and 1280px, in all three languages, no page scrolls sideways,
no table hides a column without a cue (on a phone tables become labelled cards), axe
finds nothing serious; the phone header folds its menu behind a button; and every
target on the booking flow is at least 44px."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_no_horizontal_scroll, assert_no_serious_axe_violations
from tests.browser.journey import LANGUAGES, languages, t

WIDTHS = (320, 1280)
MIN_TARGET = 44


@pytest.fixture
def demo(transactional_db):
    from portal.core import demo as demo_data

    cache.clear()
    demo_data.load_all()


def user(email):
    from portal.accounts.models import User

    return User.objects.get(email=email)


def role_pages() -> dict[str | None, list[str]]:
    """Paths (after /<lang>/) for each role of the demo: None is a signed-out visitor."""
    from portal.appointments.models import Appointment, Slot
    from portal.transfers.models import TransferRequest

    resident = user("resident@example.com")
    appointment = Appointment.objects.filter(resident=resident).order_by("id").first()
    slot = Slot.objects.filter(department__hospital__slug="hku-szh", starts_at__gt=timezone.now()).order_by(
        "starts_at").first()
    transfer = TransferRequest.objects.order_by("id").first()
    resident_pages = ["dashboard/", "appointments/", "appointments/book/hku-szh/",
                      f"appointments/book/hku-szh/{slot.department_id}/", "vouchers/", "vouchers/history/",
                      "notifications/", "centre/consent/", "centre/my-claims/", "centre/my-escorts/", "transfers/",
                      "care/", "accounts/profile/"]
    if appointment is not None:
        resident_pages.append(f"appointments/{appointment.reference}/")
    staff_pages = ["dashboard/", "centre/", "centre/workload/", "centre/escorts/", f"centre/residents/{resident.pk}/"]
    hospital_admin_pages = ["dashboard/", "transfers/hospital/", "vouchers/service-point/"]
    if transfer is not None:
        hospital_admin_pages.append(f"transfers/{transfer.pk}/")
    return {
        None: ["", "hospitals/", "hospitals/hku-szh/", "medicines/", "medicines/inclisiran/",
               "vouchers/service-points/", "accounts/login/"],
        "resident@example.com": resident_pages,
        "caregiver@example.com": ["dashboard/", "care/", f"care/for/{resident.pk}/", f"vouchers/for/{resident.pk}/"],
        "centre.staff@example.com": staff_pages,
        "hospital.admin@example.com": hospital_admin_pages,
    }


def hidden_columns(page) -> list[str]:
    """Tables that hide a column without a cue: a table wider than its box, or a
    stacked (card) table with a cell that has text but no column label."""
    return page.evaluate("""() => [...document.querySelectorAll('main table')].flatMap((table, index) => {
        const box = table.closest('.table-scroll') || table.parentElement;
        const problems = [];
        if (box.scrollWidth > box.clientWidth + 1) problems.push(`table ${index} is wider than its box`);
        if (table.classList.contains('stacked') && getComputedStyle(table.querySelector('tbody')).display === 'block') {
            table.querySelectorAll('tbody td').forEach(cell => {
                if (cell.textContent.trim() && !cell.dataset.label && cell.colSpan === 1)
                    problems.push(`table ${index}: "${cell.textContent.trim().slice(0, 30)}" has no label`);
                if (cell.textContent.trim() && getComputedStyle(cell).display === 'none')
                    problems.push(`table ${index}: "${cell.textContent.trim().slice(0, 30)}" is hidden`);
            });
        }
        return problems; })""")


@languages
def test_every_roles_pages_fit_a_phone_and_a_desktop(page_in, login_as, demo, lang, locale):
    problems = []
    for email, paths in role_pages().items():
        page = page_in(locale, viewport={"width": WIDTHS[0], "height": 800})
        if email:
            login_as(page, user(email))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                response = page.goto(f"/{lang}/{path}")
                assert response.status == 200, f"{email} {path}: {response.status}"
                try:
                    assert_no_horizontal_scroll(page)
                except AssertionError as error:
                    problems.append(f"{email} {width}px: {error}")
                problems += [f"{email} {width}px {page.url}: {problem}" for problem in hidden_columns(page)]
                try:
                    assert_no_serious_axe_violations(page)
                except AssertionError as error:
                    problems.append(f"{email} {width}px: {error}")
        page.context.close()
    assert not problems, "\n".join(problems)


@languages
def test_every_hospital_page_fits_a_phone(page_in, demo, lang, locale):
    """17 hospital pages used to scroll sideways at 320px (the languages in .facts)."""
    from portal.hospitals.models import Hospital

    page = page_in(locale, viewport={"width": 320, "height": 800})
    problems = []
    for slug in Hospital.objects.order_by("slug").values_list("slug", flat=True):
        page.goto(f"/{lang}/hospitals/{slug}/")
        try:
            assert_no_horizontal_scroll(page)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES[:2], ids=[code for code, _locale in LANGUAGES[:2]])
def test_the_phone_header_folds_the_menu_behind_a_button(page_in, snap, demo, lang, locale):
    page = page_in(locale, viewport={"width": 320, "height": 640})
    page.goto(f"/{lang}/hospitals/")
    button = page.get_by_role("button", name=t(lang, "Menu"))
    expect(button).to_have_attribute("aria-expanded", "false")
    nav = page.locator("nav.main-nav")
    expect(nav).to_be_hidden()
    # The page title is near the top, not under a long menu.
    assert page.locator("h1").bounding_box()["y"] < 220
    snap(page, "menu-closed")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name=t(lang, "Hospitals"))).to_be_visible()
    snap(page, "menu-open")
    button.click()
    expect(nav).to_be_hidden()
    # On a desktop the menu is always there and the button is not.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(nav).to_be_visible()
    expect(button).to_be_hidden()


def test_without_javascript_the_menu_stays_open(page_in, demo):
    page = page_in("en-GB", viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page.goto("/en/hospitals/")
    expect(page.locator("nav.main-nav").get_by_role("link", name="Hospitals")).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()


def small_targets(page) -> list[str]:
    """Visible links, buttons and fields in the header and the main content smaller
    than 44x44 CSS px (a checkbox or radio counts with its label)."""
    return page.evaluate("""(min) => [...document.querySelectorAll(
            'header a, header button, header summary, main a, main button, main input:not([type=hidden]), main select, main textarea, main summary')]
        .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
        .map(e => {
            let box = e.getBoundingClientRect();
            if ((e.type === 'checkbox' || e.type === 'radio') && e.labels && e.labels.length) box = e.labels[0].getBoundingClientRect();
            return [e, box]; })
        .filter(([e, box]) => box.width > 0 && (box.height < min - 0.5 || box.width < min - 0.5))
        .map(([e, box]) => `${e.tagName.toLowerCase()} "${(e.innerText || e.value || e.name || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)""",
        MIN_TARGET)


@languages
def test_booking_flow_targets_are_at_least_44px_and_the_chosen_day_is_marked(page_in, login_as, snap, demo,
                                                                              lang, locale):
    from django.utils import translation
    from django.utils.translation import ngettext

    from portal.appointments.models import Slot
    from portal.appointments.selectors import days_with_free_slots

    page = page_in(locale, viewport={"width": 320, "height": 800})
    login_as(page, user("resident@example.com"))
    slot = Slot.objects.filter(department__hospital__slug="hku-szh", starts_at__gt=timezone.now()).order_by(
        "starts_at").first()
    problems = []
    page.goto(f"/{lang}/appointments/book/hku-szh/")
    problems += [f"hospital step: {problem}" for problem in small_targets(page)]
    page.goto(f"/{lang}/appointments/book/hku-szh/{slot.department_id}/")
    days = page.locator(".day-choices a")
    expect(days.first).to_have_attribute("aria-current", "date")  # the first day is chosen
    first_day = days_with_free_slots(department_id=slot.department_id, for_resident=user("resident@example.com"))[0]
    singular, plural = "%(counter)s place", "%(counter)s places"  # the template's words (not a new message)
    with translation.override(lang):
        places = ngettext(singular, plural, first_day.free) % {"counter": first_day.free}
    expect(days.first).to_contain_text(places)
    days.nth(1).click()
    expect(days.nth(1)).to_have_attribute("aria-current", "date")
    expect(days.first).not_to_have_attribute("aria-current", "date")
    chosen, other = (days.nth(index).evaluate("e => getComputedStyle(e).backgroundColor") for index in (1, 0))
    assert chosen != other  # the chosen day looks chosen, not only to a screen reader
    problems += [f"day step: {problem}" for problem in small_targets(page)]
    snap(page, "date-picker")
    page.locator(".slot-choices a.button").first.click()
    page.wait_for_url("**/book/slot/**")
    problems += [f"details step: {problem}" for problem in small_targets(page)]
    snap(page, "details")
    assert_no_horizontal_scroll(page)
    assert not problems, "\n".join(problems)
