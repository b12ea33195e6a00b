"""Template pieces of the hospital pages: the contact block and translated texts
(phone numbers are written by the one formatting rule, portal.core.formatting)."""

from dataclasses import dataclass

from django import template
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order

register = template.Library()

@dataclass(frozen=True)
class Text:
    """A translated field's value and the language it is written in (for `lang`)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def html_lang(code: str) -> str:
    return {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}.get(code, code)


@register.simple_tag
def translated_text(obj, field: str) -> Text:
    """`obj.field` as modeltranslation shows it in the active language (its own
    column, then the fallbacks), with the language of the column it came from, so
    a fallback in another language is marked as such."""
    for code in resolution_order(get_language()):
        value = getattr(obj, build_localized_fieldname(field, code.replace("-", "_")), "") or ""
        if value:
            return Text(value, html_lang(code))
    return Text("", html_lang(get_language()))


@register.inclusion_tag("hospitals/_contact.html")
def hospital_contact(hospital):
    """The contact block of a hospital: phone, address for a taxi, hours, booking
    without the portal, their source; where a fact is not known, the nearest
    service centre that can help instead."""
    from portal.centres.selectors import nearest_centre

    known = all([hospital.phone, hospital.address_zh_hans or hospital.address_zh_hant or hospital.address_en,
                 *(any(getattr(hospital, f"{field}_{code}") for code in ("en", "zh_hant", "zh_hans"))
                   for field in ("opening_hours", "booking_without_portal"))])
    return {
        "hospital": hospital,
        # Chinese for the driver: Simplified is what mainland drivers read.
        "address_zh": Text(hospital.address_zh_hans, "zh-Hans") if hospital.address_zh_hans
        else Text(hospital.address_zh_hant, "zh-Hant"),
        "address_en": Text(hospital.address_en, "en"),
        "centre": None if known else nearest_centre(hospital),
    }
