from modeltranslation.translator import TranslationOptions, register

from .models import Route


@register(Route)
class RouteTranslation(TranslationOptions):
    fields = ("notes", "status_source")
