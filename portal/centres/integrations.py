"""Hooks through which other apps show their part of a resident's case in the
centre console, without this app importing them.

- Case sections: `register_case_section("appointments", template=..., context=...)`
  where `context(resident) -> dict` reads what the section shows and `template`
  renders it: the case page includes the template, which sees that dict as `data`
  and the case page's own `resident` and `request`. Register in the app's
  `AppConfig.ready()`. Slots not registered show an honest "nothing linked yet"
  notice.
- On-behalf actions: links to the other apps' pages for acting for a resident.
  A link is shown only if its URL name exists (reverse() succeeds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The slots the case view shows, in order, with their headings.
CASE_SECTION_SLOTS: dict[str, object] = {
    "appointments": _("Appointments"),
    "transfers": _("Ambulance transfers"),
    "vouchers": _("Voucher activity"),
}

_sources: dict[str, tuple[str, Callable[[object], dict]]] = {}


def register_case_section(key: str, *, template: str, context: Callable[[object], dict]) -> None:
    if key not in CASE_SECTION_SLOTS:
        raise KeyError(f"Unknown case section {key!r}; known: {sorted(CASE_SECTION_SLOTS)}")
    _sources[key] = (template, context)


@dataclass(frozen=True)
class CaseSection:
    key: str
    title: str
    template: str | None  # None: nothing is linked to this section yet
    data: dict | None


def case_sections(resident) -> list[CaseSection]:
    """The case view's sections for `resident` (whose consent the view has checked)."""
    sections = []
    for key, title in CASE_SECTION_SLOTS.items():
        template, context = _sources.get(key, (None, None))
        sections.append(CaseSection(key, str(title), template, context(resident) if context else None))
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
