from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from portal.core.widgets import LanguageSelect

from .models import RIGHTS_OFFERED, Relationship, Right

RIGHT_CHOICES = [(right.value, right.label) for right in RIGHTS_OFFERED]
DEFAULT_RIGHTS = [Right.APPOINTMENTS.value, Right.VOUCHERS.value, Right.TRANSFERS.value, Right.MESSAGES.value]


class RightsForm(forms.Form):
    rights = forms.MultipleChoiceField(
        label=_("What may they do for you?"), choices=RIGHT_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text=_("Confirming a voucher claim and agreeing to share medical documents always stay with you."),
        error_messages={"required": _("Choose at least one thing the caregiver may do.")},
    )
    end_date = forms.DateField(
        label=_("Last day (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep the arrangement until you end it."),
    )

    def clean_end_date(self):
        end_date = self.cleaned_data.get("end_date")
        if end_date is not None and end_date < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return end_date


class InviteForm(RightsForm):
    field_order = ["email", "phone", "relationship", "rights", "end_date", "language"]

    email = forms.EmailField(label=_("Their e-mail address"), required=False)
    phone = PhoneNumberField(
        label=_("Or their mobile phone number"), required=False, region="HK",
        help_text=_("For a mainland number, start with +86."),
    )
    relationship = forms.ChoiceField(label=_("Who are they to you?"), choices=Relationship.choices)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES,
                                 widget=LanguageSelect)

    def clean(self):
        data = super().clean()
        if bool(data.get("email")) == bool(data.get("phone")):
            raise forms.ValidationError(_("Give either an e-mail address or a phone number."))
        return data

    @property
    def phone_text(self) -> str:
        phone = self.cleaned_data.get("phone")
        return phone.as_e164 if phone else ""


class RecordForm(InviteForm):
    field_order = ["email", "phone", "relationship", "rights", "end_date", "language", "consent_form"]

    consent_form = forms.FileField(
        label=_("The resident's signed consent form"),
        help_text=_("A scan or photo (PDF, JPEG or PNG, up to 10 MB). Only the resident and your centre can open it."),
    )


class AskForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person you care for"),
        help_text=_("The address they use to sign in to the portal."),
    )
    relationship = forms.ChoiceField(label=_("Who are you to them?"), choices=Relationship.choices)
