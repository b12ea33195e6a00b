from modeltranslation.translator import TranslationOptions, register

from .models import ConnectItem, ConnectListTotals, TherapeuticArea


@register(TherapeuticArea)
class TherapeuticAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(ConnectItem)
class ConnectItemTranslation(TranslationOptions):
    fields = ("generic_name", "brand_name", "indication", "coverage_notes", "source")


@register(ConnectListTotals)
class ConnectListTotalsTranslation(TranslationOptions):
    fields = ("source",)
