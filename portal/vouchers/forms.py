from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import macao
from .models import Claim


class ClaimFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year of the visit"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    service_point = forms.TypedChoiceField(label=_("Service point"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), hospitals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["status"].choices = [("", _("Any status"))] + list(Claim.Status.choices)
        self.fields["service_point"].choices = [("", _("All service points"))] + [(h.pk, h.name) for h in hospitals]


class ClaimRecordForm(forms.Form):
    resident = forms.CharField(
        label=_("Resident's e-mail, Hong Kong identity card or Certificate of Exemption number"), max_length=254,
        help_text=_("Check the identity card or the Certificate of Exemption in person. The number is never shown in full."),
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=None)
    service_date = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_rmb = forms.DecimalField(label=_("Fee to pay with vouchers (RMB)"), min_value=Decimal("0.01"),
                                    max_digits=10, decimal_places=2)
    visit_reference = forms.CharField(label=_("Appointment reference (optional)"), max_length=40, required=False)
    primary_care = forms.BooleanField(
        label=_("Designated primary-care purpose (preventive care, or follow-up of a long-term condition)"),
        required=False, help_text=_("Such visits count toward the voucher reward pilot."),
    )
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


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class InsuranceCheckForm(forms.Form):
    """Macao's medical insurance subsidy: does this person appear to qualify?"""

    lives_in = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=[("", _("Choose a place"))]
        + [(_("The nine mainland cities of the Greater Bay Area"), macao.NINE_CITIES)]
        + [(_("Elsewhere"), macao.ELSEWHERE)],
    )
    has_residence_permit = forms.ChoiceField(
        label=_("Do you hold a Residence Permit for Hong Kong and Macao Residents?"), choices=YES_NO,
        widget=forms.RadioSelect, help_text=_("The mainland residence permit with an 18-digit number starting 820000."),
    )
    has_macao_id = forms.ChoiceField(
        label=_("Do you hold a Macao resident identity card (valid or renewable)?"), choices=YES_NO,
        widget=forms.RadioSelect,
    )
    insured = forms.ChoiceField(
        label=_("Have you joined the basic medical insurance where you live and paid this year's premium?"),
        choices=YES_NO, widget=forms.RadioSelect,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Used only for this check; it is not stored."),
    )
    student = forms.BooleanField(label=_("I am a primary or secondary school student"), required=False)
    disability_allowance = forms.BooleanField(
        label=_("I have a disability and meet the conditions for Macao's disability allowance"), required=False)

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def check(self, *, on) -> macao.InsuranceCheck:
        data = self.cleaned_data
        return macao.insurance_subsidy_check(
            lives_in=data["lives_in"], has_residence_permit=data["has_residence_permit"] == "yes",
            has_macao_id=data["has_macao_id"] == "yes", insured=data["insured"] == "yes",
            date_of_birth=data.get("date_of_birth"), student=data.get("student", False),
            disability_allowance=data.get("disability_allowance", False), on=on)
