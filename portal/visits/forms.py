from django import forms
from django.utils.translation import gettext_lazy as _

from portal.hospitals.models import BorderPoint


class CrossingForm(forms.Form):
    crossing = forms.ModelChoiceField(
        label=_("Your usual border crossing"), queryset=BorderPoint.objects.order_by("code"), to_field_name="code",
        required=False, empty_label=_("Choose a crossing"))
    remember = forms.BooleanField(label=_("Remember it as my usual crossing"), required=False)
