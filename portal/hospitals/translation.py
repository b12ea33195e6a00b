from modeltranslation.translator import TranslationOptions, register

from .models import BorderPoint, City, Department, Hospital, Specialty


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name",)


@register(BorderPoint)
class BorderPointTranslation(TranslationOptions):
    fields = ("name",)


@register(Specialty)
class SpecialtyTranslation(TranslationOptions):
    fields = ("name",)


@register(Hospital)
class HospitalTranslation(TranslationOptions):
    fields = ("name", "short_name", "district", "address", "description", "opening_hours", "booking_without_portal")


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)
