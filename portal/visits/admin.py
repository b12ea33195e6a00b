"""Visit facts in the admin. Hospital admins keep their own hospitals' records
(HospitalScopedAdminMixin, as the hospitals admin scopes them); the crossings'
opening hours are kept by superusers."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from portal.core.admin import HospitalScopedAdminMixin

from .models import CrossingHours, CrossingRoute, DepartmentLocation, HospitalVisitInfo


@admin.register(HospitalVisitInfo)
class HospitalVisitInfoAdmin(HospitalScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("hospital", "wechat_pay", "alipay", "cash", "as_of")
    list_select_related = ("hospital",)


@admin.register(DepartmentLocation)
class DepartmentLocationAdmin(HospitalScopedAdminMixin, TabbedTranslationAdmin):
    hospital_lookup = "department__hospital"
    list_display = ("department", "building", "as_of")
    list_select_related = ("department__hospital", "department__specialty")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from portal.hospitals.models import Department
        from portal.hospitals.selectors import hospital_ids_managed_by

        if db_field.related_model is Department and not request.user.is_superuser:
            kwargs["queryset"] = Department.objects.filter(hospital_id__in=hospital_ids_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CrossingRoute)
class CrossingRouteAdmin(HospitalScopedAdminMixin, TabbedTranslationAdmin):
    list_display = ("border_point", "hospital", "as_of")
    list_select_related = ("border_point", "hospital")


@admin.register(CrossingHours)
class CrossingHoursAdmin(TabbedTranslationAdmin):
    list_display = ("border_point", "as_of")
