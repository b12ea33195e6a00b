"""Admin: accounts, the ledger and claims are read-only (every change goes
through the services); hospital admins see only their service points' claims;
exchange rates are managed by superusers."""

from django.contrib import admin

from portal.core.admin import HospitalScopedAdminMixin

from .models import Claim, ExchangeRate, LedgerEntry, VoucherAccount


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["month", "hkd_per_rmb", "source", "created_at"]
    fields = ["month", "hkd_per_rmb", "source"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        # A rate already used by a claim stays as it was.
        return request.user.is_superuser and not (obj is not None and obj.claims.exists())

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class LedgerEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LedgerEntry
    fields = ["sequence", "kind", "amount_hkd", "balance_after", "allotment_year", "hospital", "service_date",
              "created_at"]
    readonly_fields = fields
    extra = 0
    ordering = ["-sequence"]


@admin.register(VoucherAccount)
class VoucherAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "opened_at"]
    search_fields = ["user__email"]
    inlines = [LedgerEntryInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account", "sequence", "kind", "amount_hkd", "balance_after", "hospital", "service_date",
                    "created_at"]
    list_filter = ["kind"]
    list_select_related = ["account__user", "hospital"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Claim)
class ClaimAdmin(HospitalScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    hospital_lookup = "hospital"
    list_display = ["id", "hospital", "department", "service_date", "amount_rmb", "voucher_amount", "status",
                    "created_at"]
    list_filter = ["status"]
    list_select_related = ["hospital", "department__specialty"]
    exclude = ["code_hash", "code_attempts"]
