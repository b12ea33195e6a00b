from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .selectors import DEFAULT_NEAR_KM, NEAR_KM_CHOICES, HospitalFilters

PROGRAMME_CHOICES = [
    ("", _("Any programme")),
    ("connect", _("Medicine and Equipment Connect")),
    ("voucher", _("Elderly Health Care Vouchers")),
    ("ambulance", _("Cross-boundary ambulance transfer")),
    ("hk-gp", _("Hong Kong-style general practice")),
    ("insurance", _("Accepts Hong Kong or international insurance")),
]
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
    city = forms.ChoiceField(label=_("City"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False, choices=PROGRAMME_CHOICES)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False, choices=LANGUAGE_CHOICES)
    border_point = forms.ChoiceField(label=_("Near border crossing"), required=False)
    within_km = forms.TypedChoiceField(
        label=_("Within"), required=False, coerce=int, empty_value=DEFAULT_NEAR_KM,
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
