from django import template
from django.urls import reverse
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def aurl(context, name: str, *args) -> str:
    """Reverse an appointments URL for the resident whose pages these are: the
    signed-in resident's own, or /appointments/for/<id>/... when centre staff act
    for a consenting resident (context variable `acting_for`)."""
    acting_for = context.get("acting_for")
    if acting_for is not None:
        return reverse(f"appointments:for_{name}", args=[acting_for.pk, *args])
    return reverse(f"appointments:{name}", args=args)


@register.filter
def in_language(names) -> str:
    """Pick the active language's text from a {"en": ..., "zh-hant": ..., "zh-hans": ...} dict."""
    if not isinstance(names, dict):
        return names or ""
    return names.get(translation.get_language() or "en") or names.get("en") or ""
