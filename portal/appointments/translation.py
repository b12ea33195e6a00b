from modeltranslation.translator import TranslationOptions, register

from .models import Closure


@register(Closure)
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)
