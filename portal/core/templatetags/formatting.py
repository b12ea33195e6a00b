"""Template filters for the one formatting rule (portal/core/formatting.py).

    {% load formatting %}
    {{ claim.amount_rmb|money:"RMB" }}   {{ item.own_hkd|signed_money }}
    {{ profile.phone|phone }}            <a href="{{ hospital.phone|phone_link }}">
    {{ event.at|when }}  {{ day|when:"day" }}  {{ rate.month|when:"month" }}
    {{ hospital.languages|listing }}     {% translate "Specialties" %}{% colon %}
"""

from django import template
from django.utils.html import format_html

from portal.core import formatting

register = template.Library()


@register.filter
def money(value, currency="HKD"):
    return formatting.money(value, currency)


@register.filter
def signed_money(value, currency="HKD"):
    return formatting.money(value, currency, signed=True)


@register.filter
def phone(value, region="HK"):
    """{{ number|phone }}; {{ number|phone:"CN" }} for numbers written without a
    country code that are mainland numbers (hospitals, service centres)."""
    return formatting.phone(value, region)


@register.filter
def phone_link(value, region="HK"):
    return formatting.phone_link(value, region)


@register.filter
def when(value, style="datetime"):
    return formatting.when(value, style)


@register.filter
def listing(items):
    return formatting.listing(items or [])


@register.simple_tag
def colon():
    return formatting.colon()


@register.filter
def other_language(language):
    """`language` if it is not the page's: the value for a `lang` attribute on text
    written in another language (a stored message read in another interface
    language), or "" when no mark is needed."""
    from django.utils import translation

    return language if language and language != translation.get_language() else ""


@register.filter
def text_language(text):
    """The `lang` for text people typed, when it is not in the page's language."""
    return formatting.text_language(text)


@register.simple_tag
def lang_of(text):
    """ lang="…" for an element holding text people typed that is not in the
    page's language (nothing when it is): <dd{% lang_of note %}>{{ note }}</dd>."""
    code = formatting.text_language(text)
    return format_html(' lang="{}"', code) if code else ""
