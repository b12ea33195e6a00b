"""Forms built for the busiest pages."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from functools import lru_cache

from django import forms


@lru_cache(maxsize=32)
def _fields_with_choices(form: type[SharedFieldsForm], choices: tuple[tuple[str, tuple], ...]) -> dict[str, forms.Field]:
    fields = copy.deepcopy(form.declared.base_fields)
    for name, field_choices in choices:
        blank = [("", form.blank_choices[name])] if name in form.blank_choices else []
        fields[name].choices = blank + list(field_choices)
    return fields


class SharedFieldsForm(forms.Form):
    """A form whose fields are built once per set of choices and then shared by every
    form made with the same choices.

    A Django form deep-copies its declared fields for each instance, and setting a
    ChoiceField's choices normalises the list again: on the hospital search, with
    about seventy cities, specialties and crossings, that was a sixth of the page's
    Python time. Sharing is safe because nothing here changes a field after it is
    built: values and errors live on the form, and the search pages draw their
    fields with `formhtml.filter_form_html`, which only reads them.

    Subclasses set `declared` to a plain Form class holding the field definitions,
    and pass the choices that change (with the data) as `choices`, a mapping of
    field name to (value, label) pairs of plain strings; `blank_choices` gives the
    label of an empty first choice per field (lazy text: translated when drawn).
    Each distinct set of choices (one per language and data version, in practice)
    is built once per process."""

    declared: type[forms.Form]
    blank_choices: dict = {}

    def __init__(self, data=None, *, choices: dict[str, Iterable[tuple[str, str]]]):
        super().__init__(data)  # no fields of its own: nothing to deep-copy
        key = tuple((name, tuple(pairs)) for name, pairs in choices.items())
        self.fields = dict(_fields_with_choices(type(self), key))
