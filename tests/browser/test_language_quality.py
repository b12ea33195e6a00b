"""Issue #9 item 3 on the shared pages: no English left on the Chinese pages, and
no characters of the other script."""

import pytest
from playwright.sync_api import expect

from tests.browser.language_quality import assert_language_quality, language_problems, page_text

PAGES = ["", "accounts/login/", "accounts/signup/"]


@pytest.mark.parametrize(("lang", "locale"), [("zh-hant", "zh-HK"), ("zh-hans", "zh-CN")])
def test_chinese_pages_have_no_english_and_no_other_script(page_in, snap, lang, locale):
    page = page_in(locale)
    for path in PAGES:
        page.goto(f"/{lang}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert_language_quality(page, lang)
        snap(page, path.strip("/").replace("/", "-") or "home")


def test_the_check_sees_what_the_person_sees(page_in):
    """The language switcher is left out on purpose; everything else counts."""
    page = page_in("zh-HK")
    page.goto("/zh-hant/")
    assert "繁體中文" in page_text(page, exclude_language_switcher=False)
    assert "繁體中文" not in page_text(page)
    # The other languages' names are marked with their language: never the page's text.
    assert "English" not in page_text(page, exclude_language_switcher=False)
    assert "简体中文" not in page_text(page)
    # The English page would fail the Chinese check: the helper does find English.
    page.goto("/en/")
    assert "English words" in language_problems(page_text(page), "zh-hant")
