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
    label, help_text, options = _drawn(bound.field, bound.label, bound.help_text)
    described = []
    help_html = errors_html = ""
    if help_text:
        described.append(f"{field_id}_helptext")
        help_html = f'<div class="helptext" id="{field_id}_helptext">{help_text}</div>'
    if bound.errors:
        described.append(f"{field_id}_error")
        items = "".join(f"<li>{_e(error)}</li>" for error in bound.errors)
        errors_html = f'<ul class="errorlist" id="{field_id}_error">{items}</ul>'
    extra = f' aria-describedby="{" ".join(described)}"' if described else ""
    if bound.errors:
        extra += ' aria-invalid="true"'
    value = bound.value()
    value = "" if value is None else str(value)
    if options is not None:
        options_html = "".join(f"{start} selected{end}" if choice == value else f"{start}{end}"
                               for choice, start, end in options)
        control = f'<select name="{bound.html_name}" id="{field_id}"{extra}>{options_html}</select>'
    else:
        control = (f'<input type="search" name="{bound.html_name}" id="{field_id}" value="{_e(value)}" '
                   f'maxlength="{bound.field.max_length or ""}"{extra}>')
    return f'<div class="field"><label for="{field_id}">{label}</label>{errors_html}{control}{help_html}</div>'


def _drawn(field: forms.Field, label, help_text) -> tuple[str, str, list[tuple[str, str, str]] | None]:
    """The field's label and help text, escaped, and for a choice field its options as
    (value, '<option value="..."', '>label</option>'), translated and escaped once per
    field and language: the search forms share their fields between requests
    (portal.core.forms.SharedFieldsForm), so this is built once per process."""
    cache = field.__dict__.setdefault("_drawn_html", {})
    language = get_language()
    if language not in cache:
        options = None
        if isinstance(field, forms.ChoiceField):
            options = [(str(choice), f'<option value="{_e(choice)}"', f">{_e(text)}</option>")
                       for choice, text in field.choices]
        cache[language] = (_e(label), _e(help_text) if help_text else "", options)
    return cache[language]


def filter_form_html(form: forms.Form) -> SafeString:
    return mark_safe("".join(_field_html(form[name]) for name in form.fields))  # noqa: S308 (escaped above)
