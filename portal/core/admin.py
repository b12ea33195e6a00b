"""Admin pieces shared by every domain.

HospitalScopedAdminMixin keeps a hospital admin inside their own hospitals in the
Django admin: list, change, delete and the choices offered in foreign-key fields.
A model admin names the lookup from its model to Hospital in `hospital_lookup`
("hospital", "department__hospital", or "id" for Hospital itself).
"""

from django.contrib import admin
from django.db.models import Q

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


admin.site.site_header = "GBA Health Portal"
admin.site.site_title = "GBA Health Portal"
