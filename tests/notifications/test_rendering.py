"""Every channel speaks the recipient's language, whatever language the sender uses."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from portal.notifications import selectors
from portal.notifications.backends import LocmemMessageBackend
from portal.notifications.rendering import render_event

from .conftest import make_recipient

pytestmark = pytest.mark.django_db

SUBJECT = "Welcome to the GBA Health Portal"
READY = "Your account is ready."


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_each_channel_renders_in_the_recipients_language_not_the_senders(language, notify_committed, client_for):
    recipient = make_recipient(language, sms=True, whatsapp=True)
    subject = _in(language, SUBJECT)
    if language != "en":
        assert subject != SUBJECT, "the app catalogue must translate the welcome message"
    sender_language = "zh-hans" if language != "zh-hans" else "en"
    with translation.override(sender_language):
        notification = notify_committed(recipient=recipient, event="welcome", link="/en/")
    assert notification.language == language

    (email,) = mail.outbox
    assert email.subject == subject
    assert email.to == [recipient.email]
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    assert subject in html
    assert _in(language, "GBA Health Portal") in html
    assert 'href="http://localhost:8000/en/"' in html
    ready = _in(language, "Your account is ready. You can now find hospitals, book appointments, check your "
                          "vouchers and follow transfers.")
    assert ready in email.body
    assert ready in html

    sms, whatsapp = LocmemMessageBackend.outbox
    assert (sms["channel"], whatsapp["channel"]) == ("sms", "whatsapp")
    for message in (sms, whatsapp):
        assert message["body"].startswith(subject + "\n")
        assert ready in message["body"]

    assert selectors.inbox_for(recipient).get().subject == subject
    with translation.override(sender_language):
        page = client_for(recipient).get(f"/{language}/notifications/{notification.pk}/")
    assert page.status_code == 200
    assert ready in page.content.decode()


def test_an_unknown_language_falls_back_to_the_default(notify_committed, settings):
    recipient = make_recipient("fr")
    notification = notify_committed(recipient=recipient, event="welcome")
    assert notification.language == settings.LANGUAGE_CODE
    assert mail.outbox[0].subject == SUBJECT


def test_an_event_without_html_gets_its_text_in_the_email_layout(tmp_path, settings):
    folder = tmp_path / "notifications" / "plain_event"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Plain subject")
    (folder / "body.txt").write_text("Line one\nLine <two>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    rendered = render_event("plain_event", {"link": ""}, "zh-hant")
    assert rendered.subject == "Plain subject"
    assert rendered.text == "Line one\nLine <two>"
    assert "Line one<br>Line &lt;two&gt;" in rendered.html
    assert '<html lang="zh-hant">' in rendered.html
    assert "<style" not in rendered.html  # Inline CSS only: many mail clients drop style blocks.
