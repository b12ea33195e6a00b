"""Form widgets shared by the apps."""

from django import forms


class Select(forms.Select):
    """Django's Select, its options written by one loop of its own template instead
    of a template included for each option: the search filters have dozens."""

    template_name = "core/widgets/select.html"


class LanguageSelect(forms.Select):
    """A choice of the portal's languages, each named in its own language (繁體中文,
    简体中文, English) and marked with it, so the page's script check and screen
    readers read each name in its own language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["lang"] = value
        return option
