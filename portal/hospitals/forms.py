from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import Select

from .models import Hospital
from .selectors import DEFAULT_NEAR_KM, NEAR_KM_CHOICES, HospitalFilters

PROGRAMME_CHOICES = [("", _("Any programme")), *Hospital.PROGRAMMES]
LANGUAGE_CHOICES = [
    ("", _("Any language")),
    ("cantonese", _("Cantonese")),
    ("putonghua", _("Putonghua")),
    ("english", _("English")),
    ("portuguese", _("Portuguese")),
]


def _km(km: int) -> str:
    return gettext("%(km)s km") % {"km": km}


# Translated when drawn, like gettext_lazy (`_("...") % ...` would fix the language
# at import time).
km_label = lazy(_km, str)


class HospitalSearchForm(forms.Form):
    """GET form of the hospital search; the cities, specialties and border points
    come from `selectors.search_options()`."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100,
                        help_text=_("Part of a name, in English or Chinese (either script)."),
                        widget=forms.SearchInput)
    city = forms.ChoiceField(label=_("City"), required=False, widget=Select)
    programme = forms.ChoiceField(label=_("Programme"), required=False, widget=Select, choices=PROGRAMME_CHOICES)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False, widget=Select)
    language = forms.ChoiceField(label=_("Language spoken"), required=False, widget=Select, choices=LANGUAGE_CHOICES)
    border_point = forms.ChoiceField(label=_("Near border crossing"), required=False, widget=Select)
    within_km = forms.TypedChoiceField(
        label=_("Within"), required=False, widget=Select, coerce=int, empty_value=DEFAULT_NEAR_KM,
        choices=[(km, km_label(km)) for km in NEAR_KM_CHOICES],
    )

    def __init__(self, data=None, *, options: dict):
        super().__init__(data, label_suffix="")
        self.fields["city"].choices = [("", _("Any city")), *((city.code, city.name) for city in options["cities"])]
        self.fields["specialty"].choices = [
            ("", _("Any specialty")), *((specialty.code, specialty.name) for specialty in options["specialties"])]
        self.fields["border_point"].choices = [
            ("", _("Any")), *((point.code, point.name) for point in options["border_points"])]

    def filters(self) -> HospitalFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return HospitalFilters(
            q=data.get("q", ""), city=data.get("city", ""), programme=data.get("programme", ""),
            specialty=data.get("specialty", ""), language=data.get("language", ""),
            border_point=data.get("border_point", ""), within_km=data.get("within_km") or DEFAULT_NEAR_KM,
        )
