"""Admin pieces shared by every domain.

HospitalScopedAdminMixin keeps a hospital admin inside their own hospitals in the
Django admin: list, change, delete and the choices offered in foreign-key fields.
A model admin names the lookup from its model to Hospital in `hospital_lookup`
("hospital", "department__hospital", or "id" for Hospital itself).

AutocompleteFieldsMixin: every admin (and inline) with `autocomplete_fields` uses
it, so a form sent back with a value that is not a key shows the error instead
of a server error.
"""

from django.contrib import admin
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.hospitals.selectors import hospital_ids_managed_by


class HospitalScopedAdminMixin:
    hospital_lookup = "hospital"

    def _scope_filter(self, request) -> Q:
        return Q(**{f"{self.hospital_lookup}__in": hospital_ids_managed_by(request.user)})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self._scope_filter(request)).distinct()

    def has_module_permission(self, request):
        return request.user.is_superuser or (
            request.user.is_active and request.user.is_staff and request.user.is_hospital_admin
            and super().has_module_permission(request)
        )

    def _object_in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return type(obj)._default_manager.filter(pk=obj.pk).filter(self._scope_filter(request)).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._object_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._object_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._object_in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from portal.hospitals.models import Hospital

        if db_field.related_model is Hospital and not request.user.is_superuser:
            kwargs["queryset"] = Hospital.objects.filter(id__in=hospital_ids_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up to show it again,
    and a value that is not a key (text sent for an integer id) fails that query
    with a 500 (Django's AutocompleteMixin.optgroups). Values that are not keys are
    left out: the form shows its "select a valid choice" error."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", remote.model._meta.pk.attname))
        keys = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            keys.append(item)
        return super().optgroups(name, keys, attr)


class AutocompleteFieldsMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Translated: staff read the admin in their own language too.
admin.site.site_header = _("GBA Health Portal administration")
admin.site.site_title = _("GBA Health Portal")
admin.site.index_title = _("Site administration")


# --- List columns that read in the admin's language ------------------------------------

def yes_no(model, field_name: str):
    """A list column for a boolean field that says 是/否/Yes/No in the admin's
    language: Django's own boolean icon has "True"/"False" as its text, in English
    on every page."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        return gettext("Yes") if getattr(obj, field_name) else gettext("No")

    column.__name__ = f"{field_name}_yes_no"
    return column


def code_column(model, field_name: str = "code"):
    """A list column for a code or slug, marked as an identifier (no language)."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        return render_to_string("core/admin/code.html", {"value": getattr(obj, field_name)})

    column.__name__ = f"{field_name}_code"
    return column
