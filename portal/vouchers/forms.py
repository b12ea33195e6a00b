from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LedgerEntry


class LedgerFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    service_point = forms.TypedChoiceField(label=_("Service point"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), hospitals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(LedgerEntry.Kind.choices)
        self.fields["service_point"].choices = [("", _("All service points"))] + [(h.pk, h.name) for h in hospitals]


class ClaimRecordForm(forms.Form):
    resident = forms.CharField(
        label=_("Resident's e-mail or Hong Kong identity card number"), max_length=254,
        help_text=_("Check the identity card in person. The number is never shown in full."),
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=None)
    service_date = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_rmb = forms.DecimalField(label=_("Fee to pay with vouchers (RMB)"), min_value=Decimal("0.01"),
                                    max_digits=10, decimal_places=2)
    visit_reference = forms.CharField(label=_("Appointment reference (optional)"), max_length=40, required=False)
    attended = forms.BooleanField(label=_("The resident attended this outpatient visit in person"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda d: f"{d.hospital.name} · {d.display_name}"
        if not self.is_bound:
            self.initial.setdefault("service_date", timezone.localdate())


class CodeForm(forms.Form):
    code = forms.CharField(label=_("One-time code the resident received"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=200)
