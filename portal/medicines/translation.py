from modeltranslation.translator import TranslationOptions, register

from .models import ConnectItem, TherapeuticArea


@register(TherapeuticArea)
class TherapeuticAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(ConnectItem)
class ConnectItemTranslation(TranslationOptions):
    fields = ("generic_name", "brand_name", "indication", "coverage_notes")
