from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import (
    AccessLogEntry,
    CentreMembership,
    ClaimEvent,
    Consent,
    EscortRequest,
    InsuranceClaim,
    ServiceCentre,
)


@admin.register(ServiceCentre)
class ServiceCentreAdmin(TabbedTranslationAdmin):
    list_display = ("name", "city", "hospital")

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(CentreMembership)
class CentreMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "centre", "is_manager")
    raw_id_fields = ("user",)

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("resident", "centre", "granted_at", "expires_at", "revoked_at")
    raw_id_fields = ("resident",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        # Consent is the resident's to give and withdraw, not an admin's to edit.
        return False


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only, for superusers: the log is append-only (no add, change or delete)."""

    list_display = ("at", "actor", "centre", "care_link", "resident", "what", "why")
    list_filter = ("centre", "what")
    date_hierarchy = "at"
    readonly_fields = ("actor", "centre", "care_link", "resident", "what", "why", "at")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InsuranceClaim)
class InsuranceClaimAdmin(admin.ModelAdmin):
    """Superusers may look; status moves go through the console (services.claim_move)."""

    list_display = ("id", "resident", "centre", "visit_date", "insurer", "status")
    list_filter = ("centre", "status")
    exclude = ("policy_number",)
    readonly_fields = ("resident", "centre", "visit_date", "hospital", "insurer", "masked_policy_number", "amount",
                       "currency", "status", "created_by", "created_at")
    inlines = [ClaimEventInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EscortRequest)
class EscortRequestAdmin(admin.ModelAdmin):
    list_display = ("id", "resident", "centre", "hospital", "visit_at", "language", "status", "assigned_to")
    list_filter = ("centre", "status", "language")
    raw_id_fields = ("resident", "assigned_to", "requested_by", "assigned_by", "appointment")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False
