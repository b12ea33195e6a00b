"""Accessibility of the shared pages in all three languages: axe-core (no serious or
critical violations), reflow at 320px and at 200% zoom, visible focus, skip link."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.a11y import (
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    assert_visible_focus_indicator,
    axe_results,
)

LANGUAGES = ["en", "zh-hant", "zh-hans"]
LOCALES = {"en": "en-GB", "zh-hant": "zh-HK", "zh-hans": "zh-CN"}
PUBLIC_PAGES = ["", "accounts/login/", "accounts/signup/", "accounts/password/reset/"]
SIGNED_IN_PAGES = ["dashboard/", "accounts/profile/", "accounts/profile/edit/", "accounts/preferences/"]


@pytest.fixture
def resident_with_profile(db):
    return factories.ProfileFactory(user__email="a11y@example.com").user


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shared_pages_have_no_serious_axe_violations(page_in, login_as, snap, resident_with_profile, lang):
    page = page_in(LOCALES[lang])
    for path in PUBLIC_PAGES:
        page.goto(f"/{lang}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_no_serious_axe_violations(page)
        snap(page, path.strip("/").replace("/", "-") or "home")
    login_as(page, resident_with_profile)
    for path in SIGNED_IN_PAGES:
        page.goto(f"/{lang}/{path}")
        expect(page).to_have_url(re.compile(f"/{lang}/{path}$"))
        assert_no_serious_axe_violations(page)
        snap(page, path.strip("/").replace("/", "-"))


def test_axe_runs_under_the_content_security_policy(page_in):
    page = page_in("en-GB")
    response = page.goto("/en/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    results = axe_results(page)
    assert results["testEngine"]["name"] == "axe-core"
    assert results["url"].endswith("/en/")
    assert blocked == []


def test_form_errors_are_accessible(page_in, snap):
    """A sign-up the server refuses (passwords differ): the page says so, marks the
    field invalid, keeps what was typed, and axe still finds nothing serious."""
    page = page_in("zh-HK")
    page.goto("/zh-hant/accounts/signup/")
    page.locator("input[name=email]").fill("typo@example.com")
    page.locator("input[name=password1]").fill("Lantau peak at dawn 2026")
    page.locator("input[name=password2]").fill("Lantau peak at dusk 2026")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=password2]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=email]")).to_have_value("typo@example.com")
    expect(page.locator("main .errorlist").first).to_be_visible()
    # The invalid field looks different too (in addition to the message).
    def border(name):
        return page.locator(f"input[name={name}]").evaluate("e => getComputedStyle(e).borderTopColor")
    assert border("password2") != border("email")
    assert_no_serious_axe_violations(page)
    snap(page, "signup-errors")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "viewport",
    [
        pytest.param({"viewport": {"width": 320, "height": 640}}, id="320px"),
        # 200% zoom of a 1280px window: 640 CSS px at two device pixels each.
        pytest.param({"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}, id="zoom200"),
    ],
)
def test_pages_reflow_without_horizontal_scroll(page_in, login_as, snap, resident_with_profile, lang, viewport):
    page = page_in(LOCALES[lang], **viewport)
    for path in PUBLIC_PAGES:
        page.goto(f"/{lang}/{path}")
        assert_no_horizontal_scroll(page)
    login_as(page, resident_with_profile)
    for path in SIGNED_IN_PAGES:
        page.goto(f"/{lang}/{path}")
        assert_no_horizontal_scroll(page)
    snap(page, "last-page")


def test_skip_link_moves_focus_to_main_by_keyboard(page_in, snap):
    page = page_in("zh-HK")
    page.goto("/zh-hant/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    snap(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_keyboard_focus_is_visible(page_in, snap):
    page = page_in("en-GB")
    page.goto("/en/hospitals/")
    seen = set()
    # Skip link, brand, two language links (the current language is not a link), seven nav
    # links, the seven search fields and the search button.
    for _ in range(19):
        style = assert_visible_focus_indicator(page)
        seen.add(style["tag"])
    snap(page, "focus-ring")
    assert {"a", "button"} <= seen
