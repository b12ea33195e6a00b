"""Fast HTML for the search filter forms.

Django's form rendering draws each <option> through its own template, which
made a filter form with ~50 options cost more than the search itself. The
search pages render their GET filter forms here instead: the same markup a
Django field group gives (label tied to the control, help and errors linked
with aria-describedby, typed values kept), escaped with html.escape."""

from html import escape

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def _e(value) -> str:
    return escape(str(value), quote=True)


def _field_html(bound: forms.BoundField) -> str:
    field_id = bound.auto_id
    described = []
    help_html = errors_html = ""
    if bound.help_text:
        described.append(f"{field_id}_helptext")
        help_html = f'<div class="helptext" id="{field_id}_helptext">{_e(bound.help_text)}</div>'
    if bound.errors:
        described.append(f"{field_id}_error")
        items = "".join(f"<li>{_e(error)}</li>" for error in bound.errors)
        errors_html = f'<ul class="errorlist" id="{field_id}_error">{items}</ul>'
    extra = f' aria-describedby="{" ".join(described)}"' if described else ""
    if bound.errors:
        extra += ' aria-invalid="true"'
    value = bound.value()
    value = "" if value is None else str(value)
    if isinstance(bound.field, forms.ChoiceField):
        options = "".join(f"{start} selected{end}" if choice == value else f"{start}{end}"
                          for choice, start, end in _options(bound.field))
        control = f'<select name="{bound.html_name}" id="{field_id}"{extra}>{options}</select>'
    else:
        control = (f'<input type="search" name="{bound.html_name}" id="{field_id}" value="{_e(value)}" '
                   f'maxlength="{bound.field.max_length or ""}"{extra}>')
    return f'<div class="field"><label for="{field_id}">{_e(bound.label)}</label>{errors_html}{control}{help_html}</div>'


def _options(field: forms.ChoiceField) -> list[tuple[str, str, str]]:
    """(value, '<option value="..."', '>label</option>') per choice, escaped once per
    field and language: the search forms share their fields between requests
    (portal.core.forms.SharedFieldsForm), so this is built once per process."""
    cache = field.__dict__.setdefault("_option_html", {})
    language = get_language()
    if language not in cache:
        cache[language] = [(str(choice), f'<option value="{_e(choice)}"', f">{_e(label)}</option>")
                           for choice, label in field.choices]
    return cache[language]


def filter_form_html(form: forms.Form) -> SafeString:
    return mark_safe("".join(_field_html(form[name]) for name in form.fields))  # noqa: S308 (escaped above)
