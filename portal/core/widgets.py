"""Form widgets shared by the apps."""

from django import forms


class Select(forms.Select):
    """Django's Select, its options written by one loop of its own template instead
    of a template included for each option: the search filters have dozens."""

    template_name = "core/widgets/select.html"
