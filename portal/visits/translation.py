from modeltranslation.translator import TranslationOptions, register

from .models import CrossingHours, CrossingRoute, DepartmentLocation, HospitalVisitInfo


@register(HospitalVisitInfo)
class HospitalVisitInfoTranslation(TranslationOptions):
    fields = ("patients_counter", "payment_note", "source")


@register(DepartmentLocation)
class DepartmentLocationTranslation(TranslationOptions):
    fields = ("building", "source")


@register(CrossingRoute)
class CrossingRouteTranslation(TranslationOptions):
    fields = ("transport", "walking", "source")


@register(CrossingHours)
class CrossingHoursTranslation(TranslationOptions):
    fields = ("opening_hours", "source")
