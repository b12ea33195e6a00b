from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from portal.core.widgets import LanguageSelect

from . import identity
from .models import Profile, User

# Phone numbers a resident may give: Hong Kong, Macao and mainland China.
ALLOWED_PHONE_PREFIXES = {"+852": "hk", "+853": "mo", "+86": "cn"}


def _validate_region(number, allowed: tuple[str, ...], message):
    if number and not any(str(number).startswith(prefix) for prefix in allowed):
        raise forms.ValidationError(message)


class ProfileForm(forms.ModelForm):
    phone = PhoneNumberField(
        label=_("Phone number (Hong Kong or Macao)"), required=False, region="HK",
        help_text=_("For example +852 9123 4567 or +853 6612 3456."),
    )
    mainland_phone = PhoneNumberField(
        label=_("Mainland phone number"), required=False, region="CN",
        help_text=_("For example +86 138 0013 8000."),
    )
    id_document_number = forms.CharField(
        label=_("Identity document number"), required=False, max_length=16,
        help_text=_("Hong Kong: A123456(3). Macao: 1234567(8). Certificate of Exemption: the number printed on it. Stored securely and shown masked."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    travel_permit_number = forms.CharField(
        label=_("Mainland Travel Permit number"), required=False, max_length=16,
        help_text=_("H (Hong Kong residents) or M (Macao residents) followed by 8 digits, for example H12345678 or M12345678."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Profile
        fields = [
            "name_en", "name_zh", "date_of_birth", "id_document_type", "id_document_number",
            "travel_permit_number", "phone", "mainland_phone",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Never echo a stored number back into the page: an empty box keeps it.
        if self.instance.pk and not self.is_bound:
            self.initial["id_document_number"] = ""
            self.initial["travel_permit_number"] = ""
        self.fields["id_document_number"].widget.attrs["placeholder"] = self.instance.masked_id_number
        self.fields["travel_permit_number"].widget.attrs["placeholder"] = self.instance.masked_travel_permit

    def clean_phone(self):
        number = self.cleaned_data.get("phone")
        _validate_region(number, ("+852", "+853"), _("Enter a Hong Kong (+852) or Macao (+853) phone number."))
        return number or ""

    def clean_mainland_phone(self):
        number = self.cleaned_data.get("mainland_phone")
        _validate_region(number, ("+86",), _("Enter a mainland China (+86) phone number."))
        return number or ""

    def clean_travel_permit_number(self):
        value = self.cleaned_data.get("travel_permit_number", "")
        if not value:
            return self.instance.travel_permit_number
        number = identity.normalise_travel_permit(value)
        if Profile.objects.exclude(pk=self.instance.pk).filter(travel_permit_number=number).exists():
            raise forms.ValidationError(_("This permit number is already registered to another account."))
        return number

    def clean(self):
        cleaned = super().clean()
        document_type = cleaned.get("id_document_type")
        number = cleaned.get("id_document_number", "")
        if not number:
            if document_type and document_type != self.instance.id_document_type and self.instance.id_document_number:
                self.add_error("id_document_number", _("Enter the number of the new identity document."))
            cleaned["id_document_number"] = self.instance.id_document_number if document_type else ""
            return cleaned
        if not document_type:
            self.add_error("id_document_type", _("Choose which identity document this number belongs to."))
            return cleaned
        try:
            number = identity.normalise(document_type, number)
        except forms.ValidationError as error:
            self.add_error("id_document_number", error)
            return cleaned
        duplicate = Profile.objects.exclude(pk=self.instance.pk).filter(
            id_document_type=document_type, id_document_number=number
        )
        if duplicate.exists():
            self.add_error("id_document_number", _("This identity document is already registered to another account."))
        cleaned["id_document_number"] = number
        return cleaned


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "notify_by_email", "notify_by_sms", "notify_by_whatsapp"]
        widgets = {"language": LanguageSelect}
