from modeltranslation.translator import TranslationOptions, register

from .models import ExchangeRate, MacaoScheme, MacaoVoucherPlace, ServicePoint


@register(ExchangeRate)
class ExchangeRateTranslation(TranslationOptions):
    fields = ("source",)


@register(ServicePoint)
class ServicePointTranslation(TranslationOptions):
    fields = ("departments_note", "source")


@register(MacaoScheme)
class MacaoSchemeTranslation(TranslationOptions):
    fields = ("name", "summary", "conditions", "how_to", "family_transfer", "what_to_bring", "where_to_apply", "source")


@register(MacaoVoucherPlace)
class MacaoVoucherPlaceTranslation(TranslationOptions):
    fields = ("name", "area", "address", "notes", "source")
