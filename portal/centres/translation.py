from modeltranslation.translator import TranslationOptions, register

from .models import ServiceCentre


@register(ServiceCentre)
class ServiceCentreTranslation(TranslationOptions):
    fields = ("name", "address", "description")
