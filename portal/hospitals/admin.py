from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from portal.core.admin import AutocompleteFieldsMixin, HospitalScopedAdminMixin, code_column, yes_no

from .models import (
    BorderPoint,
    City,
    Department,
    Hospital,
    HospitalAlias,
    HospitalMembership,
    Specialty,
)
from .search import search_filter
from .services import search_data_changed


class SearchDataAdminMixin:
    """Every save or delete in the admin of a model the public pages show goes
    through the service that retires the pages cached from older data."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        search_data_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        search_data_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        search_data_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search_data_changed()


class SearchKeyAdminMixin:
    """The admin's search box and autocomplete find records as the public search does:
    any of their names, in either script (search.search_filter on `search_key`)."""

    def get_search_results(self, request, queryset, search_term):
        condition = search_filter(search_term)
        return (queryset if condition is None else queryset.filter(condition)), False


@admin.register(City)
class CityAdmin(SearchDataAdminMixin, TabbedTranslationAdmin):
    list_display = (code_column(City), "name", "region")


@admin.register(BorderPoint)
class BorderPointAdmin(SearchDataAdminMixin, TabbedTranslationAdmin):
    list_display = (code_column(BorderPoint), "name", code_column(BorderPoint, "connects"))


@admin.register(Specialty)
class SpecialtyAdmin(SearchDataAdminMixin, TabbedTranslationAdmin):
    list_display = (code_column(Specialty), "name")
    search_fields = ("code", "name_en", "name_zh_hant", "name_zh_hans")


class DepartmentInline(TranslationTabularInline):
    model = Department
    extra = 0


class HospitalAliasInline(admin.TabularInline):
    """Other names search finds the hospital by. Shown on the hospital's own page,
    so a hospital admin edits only their own hospitals' names."""

    model = HospitalAlias
    extra = 1


@admin.register(Hospital)
class HospitalAdmin(SearchDataAdminMixin, SearchKeyAdminMixin, HospitalScopedAdminMixin, TabbedTranslationAdmin):
    hospital_lookup = "id"
    list_display = ("name", "city", yes_no(Hospital, "is_connect_designated"), yes_no(Hospital, "is_voucher_point"),
                    "ambulance_role", yes_no(Hospital, "is_active"))
    list_filter = ("city", "is_connect_designated", "is_voucher_point", "ambulance_role")
    search_fields = ("slug", "name_en", "name_zh_hant", "name_zh_hans")
    inlines = [HospitalAliasInline, DepartmentInline]
    readonly_fields = ("search_key",)
    fieldsets = (
        (None, {"fields": ("slug", "name", "short_name", "city", "district", "description", "latitude",
                           "longitude", "is_active")}),
        (_("Contact details shown on the hospital's page"), {
            "description": _("Copy only published facts and name their source. Leave a field empty when it is "
                             "not known: the page then says so and offers the nearest service centre's help."),
            "fields": ("phone", "address", "opening_hours", "booking_without_portal", "website",
                       "contact_source_title", "contact_source_url", "contact_checked_on"),
        }),
        (_("Languages and programmes"), {"fields": (
            "speaks_cantonese", "speaks_putonghua", "speaks_english", "speaks_portuguese", "is_connect_designated",
            "connect_batch", "is_voucher_point", "voucher_since", "voucher_since_precision", "ambulance_role",
            "has_hk_style_gp", "accepts_insurance")}),
        (_("For admins"), {"fields": ("notes", "search_key")}),
    )

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
