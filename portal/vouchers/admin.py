"""Admin: claims and their events are read-only (every change goes through the
services); hospital admins see only their service points' claims; exchange
rates, service-point facts and Macao's schemes and places are managed by
superusers; the simulator's tables are read-only and named as the simulator's."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from portal.core.admin import AutocompleteFieldsMixin, HospitalScopedAdminMixin
from portal.hospitals.admin import SearchDataAdminMixin

from .models import (
    Claim,
    ClaimEvent,
    ExchangeRate,
    MacaoScheme,
    MacaoVoucherPlace,
    ServicePoint,
    SimulatedAccount,
    SimulatedReward,
    SimulatedTransaction,
    VoucherAccount,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


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


class ClaimInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Claim
    fields = ["hospital", "department", "service_date", "voucher_amount", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(VoucherAccount)
class VoucherAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "opened_at"]
    search_fields = ["user__email"]
    inlines = [ClaimInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class ClaimEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimEvent
    fields = ["kind", "actor", "note", "at"]
    readonly_fields = fields
    extra = 0


@admin.register(Claim)
class ClaimAdmin(HospitalScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    hospital_lookup = "hospital"
    list_display = ["id", "hospital", "department", "service_date", "amount_rmb", "voucher_amount", "status",
                    "created_at"]
    list_filter = ["status", "primary_care"]
    list_select_related = ["hospital", "department__specialty"]
    exclude = ["code_hash", "code_attempts"]
    inlines = [ClaimEventInline]


@admin.register(ServicePoint)
class ServicePointAdmin(SuperuserOnlyMixin, AutocompleteFieldsMixin, TabbedTranslationAdmin):
    list_display = ["hospital", "departments_count", "source", "as_of"]
    autocomplete_fields = ["hospital"]


@admin.register(MacaoScheme)
class MacaoSchemeAdmin(SuperuserOnlyMixin, TabbedTranslationAdmin):
    list_display = ["code", "name", "amount_mop", "valid_from", "valid_until", "as_of"]


@admin.register(MacaoVoucherPlace)
class MacaoVoucherPlaceAdmin(SuperuserOnlyMixin, SearchDataAdminMixin, AutocompleteFieldsMixin, TabbedTranslationAdmin):
    """Which hospitals take Macao's vouchers is a programme of the hospital search:
    every change retires the search pages cached before it."""

    list_display = ["name", "area", "vouchers", "as_of", "is_active"]
    list_filter = ["vouchers", "is_active"]
    autocomplete_fields = ["hospital"]
    prepopulated_fields = {"slug": ["name_en"]}


class SimulatorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The voucher system simulator's tables, for looking only."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(SimulatedAccount)
class SimulatedAccountAdmin(SimulatorAdmin):
    list_display = ["id", "document_type", "own_hkd", "advanced_to", "spouse", "opened_at"]
    exclude = ["document_number"]


@admin.register(SimulatedReward)
class SimulatedRewardAdmin(SimulatorAdmin):
    list_display = ["account", "year", "amount_hkd", "remaining_hkd", "expires_on"]


@admin.register(SimulatedTransaction)
class SimulatedTransactionAdmin(SimulatorAdmin):
    list_display = ["account", "sequence", "on", "kind", "own_hkd", "reward_hkd", "spouse_hkd", "reference"]
    list_filter = ["kind"]
