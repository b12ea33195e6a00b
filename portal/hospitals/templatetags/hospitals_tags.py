"""Template pieces of the hospital pages: the contact block and phone numbers."""

from dataclasses import dataclass

import phonenumbers
from django import template
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order

register = template.Library()

# Numbers written without a country code are mainland numbers (the hospitals are there).
DEFAULT_REGION = "CN"


def _parsed(number: str):
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


@register.filter
def phone_display(number: str) -> str:
    """International format, e.g. +86 20 1234 5678 (so it dials from a Hong Kong phone);
    the text as entered if it is not a phone number."""
    parsed = _parsed(number or "")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL) if parsed else number


@register.filter
def phone_href(number: str) -> str:
    """The tel: address of a number (E.164), or "" if it is not a phone number."""
    parsed = _parsed(number or "")
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if parsed else ""


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
