"""Hooks through which other apps show their part of a resident's case in the
centre console, without this app importing them.

- Case sections: `register_case_section("appointments", render)` where
  `render(request, staff, resident) -> str` returns safe HTML (usually
  `render_to_string(...)`) or "" when there is nothing to show. Register in the
  app's `AppConfig.ready()`. Slots not registered show an honest "nothing linked
  yet" notice.
- On-behalf actions: links to the other apps' pages for acting for a resident.
  A link is shown only if its URL name exists (reverse() succeeds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

SectionRenderer = Callable[[object, object, object], str]

# The slots the case view shows, in order, with their headings.
CASE_SECTION_SLOTS: dict[str, object] = {
    "appointments": _("Appointments"),
    "transfers": _("Ambulance transfers"),
    "vouchers": _("Voucher activity"),
}

_renderers: dict[str, SectionRenderer] = {}


def register_case_section(key: str, render: SectionRenderer) -> None:
    if key not in CASE_SECTION_SLOTS:
        raise KeyError(f"Unknown case section {key!r}; known: {sorted(CASE_SECTION_SLOTS)}")
    _renderers[key] = render


def unregister_case_section(key: str) -> None:
    _renderers.pop(key, None)


@dataclass(frozen=True)
class CaseSection:
    key: str
    title: str
    html: SafeString | None  # None: nothing is linked to this section yet


def case_sections(request, staff, resident) -> list[CaseSection]:
    sections = []
    for key, title in CASE_SECTION_SLOTS.items():
        render = _renderers.get(key)
        html = mark_safe(render(request, staff, resident) or "") if render else None  # noqa: S308 - renderers return escaped template output
        sections.append(CaseSection(key=key, title=str(title), html=html))
    return sections


# URL name, its label: pages other apps serve for staff acting for a resident
# (the resident's id is the one argument).
ON_BEHALF_ACTIONS: tuple[tuple[str, object], ...] = (
    ("appointments:for_index", _("Book, change or cancel appointments for this resident")),
    ("transfers:new_for", _("File an ambulance transfer request for this resident")),
    ("care:record", _("Record a caregiver on the resident's signed consent form")),
)


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def on_behalf_actions(resident_id: int) -> list[tuple[str, str]]:
    """[(url, label)] for the on-behalf pages that exist in this installation."""
    found = []
    for name, label in ON_BEHALF_ACTIONS:
        url = url_or_none(name, resident_id)
        if url:
            found.append((url, str(label)))
    return found
