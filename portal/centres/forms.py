import re
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import identity
from portal.core import formatting
from portal.hospitals.models import Hospital

from .models import STAFF_REASONS, EscortLanguage, InsuranceClaim, ServiceCentre
from .selectors import normalise_digits
from .services import CONSENT_MONTHS, DEFAULT_CONSENT_MONTHS, DOCUMENT_MAX_BYTES

MONTH_CHOICES = [
    (3, _("3 months")),
    (6, _("6 months")),
    (12, _("12 months (recommended)")),
]
assert [value for value, _label in MONTH_CHOICES] == list(CONSENT_MONTHS)


class ConsentForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Service centre"), queryset=ServiceCentre.objects.order_by("slug"),
        empty_label=_("Choose a centre"),
        error_messages={"required": _("Choose the centre you want to help you.")},
    )
    months = forms.TypedChoiceField(
        label=_("For how long"), choices=MONTH_CHOICES, coerce=int, initial=DEFAULT_CONSENT_MONTHS,
        widget=forms.RadioSelect,
        help_text=_("You can withdraw your consent at any time before then."),
    )
    confirm = forms.BooleanField(
        label=_("I have read what the centre's staff will be able to see and do, and I agree."),
        error_messages={"required": _("Tick the box to show that you agree.")},
    )




class ResidentSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, phone number or last 4 digits of the identity card"), max_length=60,
        help_text=_("For example 陳大文, CHAN Tai Man, 9123 4567 or 3456. Never type a full identity card number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}),
        error_messages={"required": _("Type something to search for.")},
    )

    def clean_q(self) -> dict:
        text = " ".join(self.cleaned_data["q"].split())
        compact = normalise_digits(text)
        if identity.looks_like_full_number(text) or identity.looks_like_full_number(compact):
            raise forms.ValidationError(
                _("Enter only the last 4 digits of the identity card number, never the full number."), code="full_id"
            )
        if compact.isdigit():
            if len(compact) == 4:
                return {"id_last_digits": compact}
            if len(compact) >= 8:
                return {"phone_digits": compact}
            raise forms.ValidationError(
                _("Enter the last 4 digits of the identity card, or a phone number of at least 8 digits."), code="digits"
            )
        if any(ch.isdigit() for ch in text):
            raise forms.ValidationError(_("Search by a name, or by digits only."), code="mixed")
        if len(text) < 2:
            raise forms.ValidationError(_("Type at least 2 characters of the name."), code="short")
        return {"name": text}


OTHER = "other"


class CaseOpenForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you opening this case?"), widget=forms.RadioSelect,
        choices=[*STAFF_REASONS, (OTHER, _("Another reason (write it below)"))],
        help_text=_("The resident sees this reason in their access log."),
        error_messages={"required": _("Choose why you are opening this case.")},
    )
    other = forms.CharField(label=_("Other reason"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == OTHER:
            other = " ".join((cleaned.get("other") or "").split())
            if len(other) < 3:
                self.add_error("other", _("Write the reason in a few words."))
            cleaned["why"] = other
        else:
            cleaned["why"] = cleaned.get("reason", "")
        return cleaned


class CaseNoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only your centre's staff can read case notes."),
        error_messages={"required": _("Write the note first.")},
    )


def _hospital_choices():
    return Hospital.objects.select_related("city").order_by("city__sort_order", "name_en")


def upcoming_appointments_of(resident):
    """The resident's booked, future portal appointments (to link an escort to)."""
    from portal.appointments.models import Appointment

    return (
        Appointment.objects.filter(resident=resident, status=Appointment.Status.BOOKED, starts_at__gt=timezone.now())
        .select_related("slot__department__hospital", "slot__department__specialty")
        .order_by("starts_at", "id")
    )


def _appointment_label(appointment) -> str:
    when = formatting.when(appointment.starts_at)
    department = appointment.slot.department
    return f"{when} · {department.hospital.name} · {department.display_name} ({appointment.reference})"


class EscortForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Service centre"), queryset=ServiceCentre.objects.none(), empty_label=None,
        help_text=_("Only centres you have allowed to assist you are listed."),
    )
    language = forms.ChoiceField(label=_("Language the escort should speak"), choices=EscortLanguage.choices)
    appointment = forms.ModelChoiceField(
        label=_("Appointment booked through the portal"), queryset=None, required=False,
        empty_label=_("Another visit (give the hospital and time below)"),
        help_text=_("Choose the appointment, or leave this as it is and give the hospital and time of another visit."),
        to_field_name="reference",
    )
    hospital = forms.ModelChoiceField(label=_("Hospital"), queryset=Hospital.objects.none(), empty_label=_("Choose a hospital"),
                                      required=False)
    visit_at = forms.DateTimeField(
        label=_("Date and time of the visit"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], required=False,
    )
    appointment_reference = forms.CharField(
        label=_("Appointment reference (if you have one)"), max_length=60, required=False,
    )
    notes = forms.CharField(
        label=_("Anything the escort should know"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, resident, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = _hospital_choices()
        self.fields["appointment"].queryset = upcoming_appointments_of(resident)
        self.fields["appointment"].label_from_instance = _appointment_label
        if centres is None:  # staff acting for a resident: the centre is their own
            del self.fields["centre"]
        else:
            self.fields["centre"].queryset = centres

    def clean_visit_at(self):
        visit_at = self.cleaned_data["visit_at"]
        if visit_at is not None and visit_at <= timezone.now():
            raise forms.ValidationError(_("Choose a visit date and time in the future."))
        return visit_at

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("appointment") is None and not self.has_error("appointment"):
            if not cleaned.get("hospital") and not self.has_error("hospital"):
                self.add_error("hospital", _("Choose the hospital of the visit, or one of your appointments above."))
            if not cleaned.get("visit_at") and not self.has_error("visit_at"):
                self.add_error("visit_at", _("Give the date and time of the visit, or choose one of your appointments above."))
        return cleaned


class EscortAssignForm(forms.Form):
    staff_member = forms.ModelChoiceField(label=_("Escort"), queryset=None, empty_label=_("Choose a staff member"))

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff_queryset
        self.fields["staff_member"].label_from_instance = lambda user: user.display_name


class ClaimForm(forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hospital = forms.ModelChoiceField(label=_("Hospital"), queryset=Hospital.objects.none(), empty_label=_("Choose a hospital"))
    insurer = forms.CharField(label=_("Insurer"), max_length=120)
    policy_number = forms.CharField(
        label=_("Policy number"), max_length=40, help_text=_("Shown afterwards with only its last 4 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    amount = forms.DecimalField(label=_("Amount claimed"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    currency = forms.ChoiceField(label=_("Currency"), choices=InsuranceClaim.Currency.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = _hospital_choices()

    def clean_visit_date(self):
        visit_date = self.cleaned_data["visit_date"]
        if visit_date > timezone.localdate():
            raise forms.ValidationError(_("The visit date cannot be in the future."))
        return visit_date

    def clean_policy_number(self):
        value = "".join(self.cleaned_data["policy_number"].split()).upper()
        if not re.fullmatch(r"[A-Z0-9\-/]{4,40}", value):
            raise forms.ValidationError(_("Enter the policy number as printed: letters, digits, - or /."))
        return value


class ClaimMoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=InsuranceClaim.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class ClaimDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a document"),
        help_text=_("A receipt, invoice or medical report: PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
