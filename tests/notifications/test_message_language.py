"""Issue 18 item 1: a stored message is shown in the language it was written in
(the recipient's, when it was sent) and marked with it when the page is in
another language; every link in every channel's body is absolute."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from portal.notifications.rendering import render_event

from .conftest import make_recipient

pytestmark = pytest.mark.django_db


def _article_language(html: str) -> str | None:
    match = re.search(r'<article class="card"(?: lang="([^"]+)")?>', html)
    assert match, "the message is shown in an <article>"
    return match.group(1)


def test_a_message_read_in_another_interface_language_is_marked(notify_committed, client_for):
    recipient = make_recipient("zh-hant")
    notification = notify_committed(recipient=recipient, event="welcome", link="/zh-hant/")
    client = client_for(recipient)
    english = client.get(f"/en/notifications/{notification.pk}/").content.decode()
    assert _article_language(english) == "zh-hant"
    assert "<title>Message ·" in english  # the English page's title is not the Chinese subject
    assert "Written in Traditional Chinese" in english
    inbox = client.get("/en/notifications/").content.decode()
    assert f'<span class="inbox-subject" lang="zh-hant">{notification.subject}</span>' in inbox


def test_a_message_read_in_its_own_language_needs_no_mark(notify_committed, client_for):
    recipient = make_recipient("zh-hant")
    notification = notify_committed(recipient=recipient, event="welcome", link="/zh-hant/")
    page = client_for(recipient).get(f"/zh-hant/notifications/{notification.pk}/").content.decode()
    assert _article_language(page) is None
    assert f"<title>{notification.subject} ·" in page


def test_a_caregivers_copy_is_in_the_caregivers_language_and_marked_elsewhere(notify_committed, client_for):
    from tests import factories

    elder = make_recipient("zh-hant")
    caregiver = make_recipient("zh-hans")
    factories.make_caregiver(elder, caregiver)
    notify_committed(recipient=elder, event="welcome", link="/zh-hant/")
    copy = caregiver.notifications.get()
    assert copy.language == "zh-hans"
    assert settings.SITE_URL.rstrip("/") + copy.link in copy.body  # the copy's own link, absolute
    page = client_for(caregiver).get(f"/zh-hant/notifications/{copy.pk}/").content.decode()
    assert _article_language(page) == "zh-hans"


def _events() -> list[str]:
    """Every event that has a message template, in every app (a caregiver's copy
    wraps one of them: tested above)."""
    root = Path(settings.BASE_DIR)
    return sorted({path.parent.name for path in root.glob("portal/*/templates/notifications/*/body.txt")}
                  - {"care_copy"})


def test_every_event_is_found():
    assert len(_events()) >= 20


@pytest.mark.parametrize("event", _events())
@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_every_message_body_carries_the_full_link(event, language, settings):
    settings.SITE_URL = "https://portal.test"
    recipient = make_recipient(language)
    link = f"/{language}/transfers/3/"
    context = {"link": link, "recipient": recipient, "rights": [], "elder": recipient, "copy_text": "",
               "copy_subject": "", "care_link": None, "to_state": "submitted", "hospital": {"en": "H"},
               "department": {"en": "D"}, "when": "2026-12-03T06:30:00+00:00", "amount": 100}
    rendered = render_event(event, context, language)
    assert f"https://portal.test{link}" in rendered.text, f"{event}: the text body has no full link"
    assert not re.search(rf"(?<!https://portal\.test){re.escape(link)}", rendered.text), f"{event}: a bare path"
    assert f'href="https://portal.test{link}"' in rendered.html
    assert not re.search(rf'href="{re.escape(link)}"', rendered.html), f"{event}: a bare path in the HTML"


def test_no_body_template_prints_the_bare_link():
    root = Path(settings.BASE_DIR)
    for path in root.glob("portal/*/templates/notifications/*/body.*"):
        assert not re.search(r"\{\{\s*link\s*\}\}", path.read_text()), f"{path}: uses the bare link"
