from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.forms import SharedFieldsForm

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


class HospitalSearchFields(forms.Form):
    """The fields of the hospital search (see HospitalSearchForm)."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100,
                        help_text=_("Part of a name, in English or Chinese (either script)."))
    city = forms.ChoiceField(label=_("City"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False, choices=PROGRAMME_CHOICES)
    specialty = forms.ChoiceField(label=_("Specialty"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False, choices=LANGUAGE_CHOICES)
    border_point = forms.ChoiceField(label=_("Near border crossing"), required=False)
    within_km = forms.TypedChoiceField(
        label=_("Within"), required=False, coerce=int, empty_value=DEFAULT_NEAR_KM,
        choices=[(km, km_label(km)) for km in NEAR_KM_CHOICES],
    )


class HospitalSearchForm(SharedFieldsForm):
    """GET form for the hospital search; choices come from the (cached) filter options."""

    declared = HospitalSearchFields
    blank_choices = {"city": _("Any city"), "specialty": _("Any specialty"), "border_point": _("Any")}

    def __init__(self, data=None, *, options: dict):
        super().__init__(data, choices={
            "city": ((c["code"], c["name"]) for c in options["cities"]),
            "specialty": ((s["code"], s["name"]) for s in options["specialties"]),
            "border_point": ((b["code"], b["name"]) for b in options["border_points"]),
        })

    def filters(self) -> HospitalFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return HospitalFilters(
            q=data.get("q", ""), city=data.get("city", ""), programme=data.get("programme", ""),
            specialty=data.get("specialty", ""), language=data.get("language", ""),
            border_point=data.get("border_point", ""), within_km=data.get("within_km") or DEFAULT_NEAR_KM,
        )
