from django.contrib import admin
from django.db import transaction
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from portal.core.admin import AutocompleteFieldsMixin, HospitalScopedAdminMixin

from .models import BorderPoint, City, Department, Hospital, HospitalMembership, Specialty
from .search import bump_data_version


class BumpsSearchVersionMixin:
    """Saving or deleting through the admin makes cached search results stale."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(bump_data_version)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(bump_data_version)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(bump_data_version)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(bump_data_version)


@admin.register(City)
class CityAdmin(BumpsSearchVersionMixin, TabbedTranslationAdmin):
    list_display = ("code", "name", "region")


@admin.register(BorderPoint)
class BorderPointAdmin(BumpsSearchVersionMixin, TabbedTranslationAdmin):
    list_display = ("code", "name", "connects")


@admin.register(Specialty)
class SpecialtyAdmin(BumpsSearchVersionMixin, TabbedTranslationAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name_en", "name_zh_hant", "name_zh_hans")


class DepartmentInline(TranslationTabularInline):
    model = Department
    extra = 0


@admin.register(Hospital)
class HospitalAdmin(BumpsSearchVersionMixin, HospitalScopedAdminMixin, TabbedTranslationAdmin):
    hospital_lookup = "id"
    list_display = ("name", "city", "is_connect_designated", "is_voucher_point", "ambulance_role", "is_active")
    list_filter = ("city", "is_connect_designated", "is_voucher_point", "ambulance_role")
    search_fields = ("slug", "name_en", "name_zh_hant", "name_zh_hans")
    inlines = [DepartmentInline]
    readonly_fields = ("search_key",)

    def has_add_permission(self, request):
        # New institutions are designated by the Health Commission: superusers add them.
        return request.user.is_superuser


@admin.register(HospitalMembership)
class HospitalMembershipAdmin(AutocompleteFieldsMixin, admin.ModelAdmin):
    list_display = ("user", "hospital", "created_at")
    autocomplete_fields = ("hospital",)
    raw_id_fields = ("user",)

    def has_module_permission(self, request):
        return request.user.is_superuser
