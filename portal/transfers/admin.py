"""Django admin: routes (fees correctable by their sending hospital's admins) and
a read-only view of transfers scoped to the admin's hospitals. Moves go through
the staff pages (/<lang>/transfers/hospital/), which call the services."""

from django.contrib import admin
from django.db.models import Q
from modeltranslation.admin import TranslationAdmin

from portal.core.admin import HospitalScopedAdminMixin, yes_no
from portal.hospitals.selectors import hospital_ids_managed_by

from .models import Route, TransferEvent, TransferRequest


class _EitherHospitalScope(HospitalScopedAdminMixin):
    def _scope_filter(self, request) -> Q:
        ids = hospital_ids_managed_by(request.user)
        return Q(sending_hospital__in=ids) | Q(receiving_hospital__in=ids)


@admin.register(Route)
class RouteAdmin(HospitalScopedAdminMixin, TranslationAdmin):
    hospital_lookup = "sending_hospital"
    list_display = ["__str__", "direction", "since", "fee_rmb", yes_no(Route, "is_active")]
    list_select_related = ["sending_hospital", "receiving_hospital", "border_point"]
    list_editable = ["fee_rmb"]


class EventInline(admin.TabularInline):
    model = TransferEvent
    fields = ["at", "from_state", "to_state", "actor", "role", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransferRequest)
class TransferRequestAdmin(_EitherHospitalScope, admin.ModelAdmin):
    list_display = ["reference", "state", "sending_hospital", "receiving_hospital", "preferred_date", "created_at"]
    list_filter = ["state"]
    list_select_related = ["sending_hospital", "receiving_hospital"]
    search_fields = ["reference"]
    inlines = [EventInline]
    exclude = ["patient_user", "requester", "filed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
