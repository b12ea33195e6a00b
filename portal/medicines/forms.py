from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import Select

from .models import ConnectItem
from .selectors import ItemFilters


class ItemSearchForm(forms.Form):
    """GET form of the Connect list search; the areas come from `selectors.therapeutic_areas()`."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100,
                        help_text=_("Generic or brand name, in English or Chinese (either script)."),
                        widget=forms.SearchInput)
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=Select,
                             choices=[("", _("Drugs and devices"))] + list(ConnectItem.Kind.choices))
    therapeutic_area = forms.ChoiceField(label=_("Therapeutic area"), required=False, widget=Select)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=Select,
                               choices=[("", _("Listed and delisted"))] + list(ConnectItem.Status.choices))

    def __init__(self, data=None, *, areas: list):
        super().__init__(data, label_suffix="")
        self.fields["therapeutic_area"].choices = [
            ("", _("Any therapeutic area")), *((area.code, area.name) for area in areas)]

    def filters(self) -> ItemFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ItemFilters(q=data.get("q", ""), kind=data.get("kind", ""),
                           therapeutic_area=data.get("therapeutic_area", ""), status=data.get("status", ""))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with the columns of the Connect list template."))
