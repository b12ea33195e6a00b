"""Rendering of a notification's subject and bodies in the recipient's language.

Each event has its own templates, found by the usual template loaders, so every
domain app ships its own under templates/notifications/<event>/:
subject.txt, body.txt and (optional) body.html. A body.html extends
"notifications/email_base.html" and fills its `content` block; an event without
one gets its text body in the same layout (notifications/email_default.html).
Templates receive the event's context plus `recipient`, `link` (as given),
`link_url` (absolute), `subject` (HTML only), `site_url` and `language`.

A caregiver's copy (a notification with a `care_link`) is the event's message as
the person cared for receives it (`recipient` is that person), rendered in the
caregiver's language, inside the "care_copy" event's templates, which say whose
message it is.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


def absolute_url(link: str) -> str:
    if link.startswith("/"):
        return settings.SITE_URL.rstrip("/") + link
    return link


def render_event(event: str, context: dict, language: str) -> RenderedMessage:
    base = f"notifications/{event}"
    link = context.get("link", "")
    context = {**context, "link_url": absolute_url(link), "site_url": settings.SITE_URL, "language": language}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        text = render_to_string(f"{base}/body.txt", context).strip()
        html_context = {**context, "subject": subject, "text": text}
        try:
            html_template = get_template(f"{base}/body.html")
        except TemplateDoesNotExist:
            html_template = get_template("notifications/email_default.html")
        html = html_template.render(html_context)
    return RenderedMessage(subject=subject, text=text, html=html.strip())


def render_notification(notification) -> RenderedMessage:
    """A notification rendered from its event, context, link and language (the
    recipient's, chosen when it was written); nothing is saved."""
    context = {**(notification.context or {}), "recipient": notification.recipient, "link": notification.link}
    if notification.care_link_id is not None:
        care_link = notification.care_link
        inner = render_event(notification.event, {**context, "recipient": care_link.elder}, notification.language)
        context.update({"care_link": care_link, "elder": care_link.elder, "copy_subject": inner.subject,
                        "copy_text": inner.text})
        rendered = render_event("care_copy", context, notification.language)
    else:
        rendered = render_event(notification.event, context, notification.language)
    # An empty subject would leave nothing to show in the inbox's list.
    return RenderedMessage(subject=rendered.subject or notification.event, text=rendered.text, html=rendered.html)
