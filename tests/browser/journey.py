"""Helpers for the service journeys (issue #9 items 1-3).

Every journey runs once per language (``LANGUAGES``, parametrised with
``@languages``). Expected texts are the portal's own translations, looked up with
``t(lang, "msgid")``, so one test body serves en, zh-hant and zh-hans and still
asserts what a person reads. ``check(page, lang, snap, name)`` is called after each
step: the page is in the right language (``html[lang]``), axe finds no serious
violation, the language-quality checks pass, and a screenshot is saved.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.browser.a11y import assert_no_serious_axe_violations
from tests.browser.language_quality import assert_language_quality

# (language code in URLs, browser locale)
LANGUAGES = [("en", "en-GB"), ("zh-hant", "zh-HK"), ("zh-hans", "zh-CN")]
languages = pytest.mark.parametrize(("lang", "locale"), LANGUAGES, ids=[code for code, _ in LANGUAGES])

AXE_LOG = Path(settings.BASE_DIR) / "artifacts" / "axe-pages.jsonl"


def t(lang: str, message: str, **values) -> str:
    """The portal's translation of `message` in `lang` (with %(name)s values filled in)."""
    with translation.override(lang):
        text = translation.gettext(message)
    return text % values if values else text


def in_language(lang: str, function, *args, **kwargs):
    """`function(*args)` with `lang` active: what the portal's one formatting rule
    (portal.core.formatting) writes on a page in that language."""
    with translation.override(lang):
        return function(*args, **kwargs)


def check(page, lang: str, snap, name: str, *, allowed=()) -> None:
    """After each step: right language, no serious axe finding, no English or
    wrong-script characters on Chinese pages, and a screenshot."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    results = assert_no_serious_axe_violations(page)
    assert_language_quality(page, lang, allowed)
    snap(page, name)
    AXE_LOG.parent.mkdir(parents=True, exist_ok=True)
    with AXE_LOG.open("a", encoding="utf-8") as log:
        log.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], "step": name,
                              "url": page.url, "minor": [v["id"] for v in results["violations"]]}) + "\n")
