"""Rendering of a notification's subject and bodies in the recipient's language.

Each event has its own templates, found by the usual template loaders, so every
domain app ships its own under templates/notifications/<event>/:
subject.txt, body.txt and (optional) body.html. A body.html extends
"notifications/email_base.html" and fills its `content` block; an event without
one gets its text body in the same layout (notifications/email_default.html).
Templates receive the event's context plus `recipient`, `link` (as given),
`link_url` (absolute), `subject` (HTML only), `site_url` and `language`.
"""

import re
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


# --- the same messages from a per-language skeleton ----------------------------
#
# Rendering an event's three templates costs ~0.15 ms of Python (translation
# lookups, escaping, the template engine); a booking renders its confirmation
# while the caller waits. `render_event_reusing` renders each event's templates
# once per language with markers in place of the values (a skeleton), then
# builds each message by putting the values where the markers are. That is the
# same text only if the templates do nothing to a value but print it, so:
#
# - only values that no template step can change are put in: non-empty
#   strings (or {language: string} dicts) without HTML's special characters,
#   line breaks, tabs or runs of spaces (escaping, `linebreaksbr` and the
#   whitespace folding of subjects leave them as they are); the recipient
#   stands in with `display_name` only, and a link must be a path ("/...");
#   anything else is rendered by `render_event`;
# - a skeleton is used only once it gave exactly what `render_event` gives for
#   the first real context and for made-up long values in mixed case (a filter
#   that changes or cuts values shows up as a difference); otherwise the event
#   is always rendered in full in that language.

_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000([0-9]+)\ue001")
_UNSAFE = re.compile(r"""[&<>"'\ue000\ue001\s]""")


class _Recipient:
    """Stands in for the recipient in a skeleton: only its display name."""

    def __init__(self, display_name: str):
        self.display_name = display_name


def _plain(value: str) -> bool:
    # spaces alone between words are kept by every step; other whitespace is not
    return bool(value) and value == value.strip() and "  " not in value and not _UNSAFE.search(value.replace(" ", "x"))


def _shape(context: dict):
    """(key, subkey) of every value to put in, or None if the context cannot be
    served from a skeleton."""
    shape = []
    for key, value in context.items():
        if key == "recipient":
            shape.append((key, "display_name"))
        elif isinstance(value, str):
            shape.append((key, None))
        elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            shape.extend((key, subkey) for subkey in value)
        else:
            return None
    return tuple(shape)


def _values(context: dict, shape) -> list[str] | None:
    values = []
    for key, subkey in shape:
        if key == "recipient":
            value = context[key].display_name
        elif key == "link":
            value = context[key][1:] if context[key].startswith("/") else ""
        elif subkey is None:
            value = context[key]
        else:
            value = context[key][subkey]
        if not isinstance(value, str) or not _plain(value):
            return None
        values.append(value)
    return values


def _fill(parts: tuple, values: list[str]) -> str:
    text = list(parts)
    for index in range(1, len(text), 2):
        text[index] = values[text[index]]
    return "".join(text)


def _split(text: str) -> tuple:
    parts = _MARKED.split(text)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


_skeletons: dict = {}


def _skeleton(event: str, shape, language: str):
    marked = {}
    for index, (key, subkey) in enumerate(shape):
        mark = _MARK.format(index)
        if key == "recipient":
            marked[key] = _Recipient(mark)
        elif key == "link":
            marked[key] = "/" + mark
        elif subkey is None:
            marked[key] = mark
        else:
            marked.setdefault(key, {})[subkey] = mark
    rendered = render_event(event, marked, language)
    return tuple(_split(part) for part in (rendered.subject, rendered.text, rendered.html))


def _made_up(context: dict, shape) -> dict:
    """The context with long mixed-case values in place of the real ones."""
    made_up = {}
    for index, (key, subkey) in enumerate(shape):
        value = f"Made Up value {index} " + "Abc " * 40 + "End"
        if key == "recipient":
            made_up[key] = _Recipient(value)
        elif key == "link":
            made_up[key] = "/" + value.replace(" ", "-")
        elif subkey is None:
            made_up[key] = value
        else:
            made_up.setdefault(key, {})[subkey] = value
    return made_up


def render_event_reusing(event: str, context: dict, language: str) -> RenderedMessage:
    """What `render_event` returns, from the event's skeleton when the values
    allow (see above)."""
    shape = _shape(context)
    values = _values(context, shape) if shape is not None else None
    if values is None:
        return render_event(event, context, language)
    cache_key = (event, language, shape)
    skeleton = _skeletons.get(cache_key)
    if skeleton is None:
        skeleton = _skeleton(event, shape, language)
        checks = [context, _made_up(context, shape)]
        same = all(
            RenderedMessage(*(_fill(part, _values(check, shape)) for part in skeleton)) == render_event(event, check, language)
            for check in checks
        )
        _skeletons[cache_key] = skeleton = skeleton if same else False
    if skeleton is False:
        return render_event(event, context, language)
    return RenderedMessage(*(_fill(part, values) for part in skeleton))
