from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from portal.hospitals.models import BorderPoint


class CrossingForm(forms.Form):
    crossing = forms.ModelChoiceField(
        label=_("Your usual border crossing"), queryset=BorderPoint.objects.order_by("code"), to_field_name="code",
        required=False, empty_label=_("Choose a crossing"))
    remember = forms.BooleanField(label=_("Remember it as my usual crossing"), required=False)


class ConnectItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item) -> str:
        return f"{item.generic_name} ({item.brand_name})" if item.brand_name else str(item.generic_name)


class HealthSummaryForm(forms.ModelForm):
    connect_items = ConnectItemChoices(
        label=_("Medicines from the Connect list"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the Hong Kong drugs and devices you use now; write any other medicine below."))
    emergency_contact_phone = PhoneNumberField(
        label=_("Emergency contact's phone"), required=False, region="HK",
        help_text=_("With the area code, for example +852 9123 4567 or +86 138 0013 8000."))

    class Meta:
        from .models import HealthSummary

        model = HealthSummary
        fields = ["connect_items", "other_medicines", "allergies", "conditions", "emergency_contact_name",
                  "emergency_contact_phone", "show_medicines", "show_allergies", "show_conditions",
                  "show_emergency_contact"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("other_medicines", "allergies", "conditions")}

    def __init__(self, *args, **kwargs):
        from .selectors import connect_items_to_pick

        super().__init__(*args, **kwargs)
        self.fields["connect_items"].queryset = connect_items_to_pick()
        for name in ("other_medicines", "allergies", "conditions"):
            self.fields[name].max_length = 2000


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=(), initial="report")
    file = forms.FileField(label=_("Document"), help_text=_("PDF, JPEG or PNG, up to 10 MB. A photo of a paper "
                                                           "document is fine."))

    def __init__(self, *args, **kwargs):
        from .models import VisitDocument

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = VisitDocument.Kind.choices


class ShareForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Share with"), queryset=None, required=False,
                                    empty_label=_("Nobody (keep it private)"))

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


class AttachForm(forms.Form):
    transfer = forms.ModelChoiceField(label=_("Attach to the transfer"), queryset=None)

    def __init__(self, *args, transfers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = transfers
