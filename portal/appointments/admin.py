"""Hospital admins manage their own hospitals' schedules and bookings here.
Actions call the same services as the pages and the API."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from portal.core.admin import HospitalScopedAdminMixin, yes_no
from portal.hospitals.models import Department
from portal.hospitals.selectors import hospital_ids_managed_by

from . import services
from .models import (
    Appointment,
    AppointmentEvent,
    BookingSettings,
    Closure,
    SessionTemplate,
    Slot,
    WaitlistEntry,
)


class DepartmentScopedMixin(HospitalScopedAdminMixin):
    hospital_lookup = "department__hospital"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Department and not request.user.is_superuser:
            kwargs["queryset"] = Department.objects.filter(
                hospital_id__in=hospital_ids_managed_by(request.user)
            ).select_related("hospital", "specialty")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BookingSettings)
class BookingSettingsAdmin(HospitalScopedAdminMixin, admin.ModelAdmin):
    list_display = ("hospital", "cancel_cutoff_hours", "reschedule_cutoff_hours", "offer_hold_minutes")


@admin.register(SessionTemplate)
class SessionTemplateAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    list_display = ("department", "doctor_name", "weekday", "start_time", "end_time", "slot_minutes", "capacity",
                    "valid_from", "valid_to", yes_no(SessionTemplate, "is_active"))
    list_filter = ("weekday", "is_active", "department__hospital")
    list_select_related = ("department__hospital", "department__specialty")


@admin.register(Closure)
class ClosureAdmin(HospitalScopedAdminMixin, TranslationAdmin):
    list_display = ("hospital", "department", "start_date", "end_date", "reason")
    list_select_related = ("hospital", "department__specialty")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Department and not request.user.is_superuser:
            kwargs["queryset"] = Department.objects.filter(hospital_id__in=hospital_ids_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Slot)
class SlotAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    list_display = ("starts_at", "department", "doctor_name", "capacity", yes_no(Slot, "is_blocked"))
    list_filter = ("is_blocked", "department__hospital")
    list_select_related = ("department__hospital", "department__specialty")
    date_hierarchy = "starts_at"
    # Blocking goes through the actions (bookings are cancelled and residents told):
    # the field itself is shown, never edited.
    exclude = ("is_blocked",)
    readonly_fields = (yes_no(Slot, "is_blocked"), "blocked_reason", "template")
    actions = ["block_slots", "unblock_slots"]

    @admin.action(description=_("Block the selected slots (bookings are cancelled and residents told)"))
    def block_slots(self, request, queryset):
        told = 0
        for slot in queryset:
            told += services.slot_block(actor=request.user, slot_id=slot.pk, reason=str(_("Blocked by the hospital")))
        self.message_user(request, ngettext(
            "Blocked. %(count)d resident was told.", "Blocked. %(count)d residents were told.", told
        ) % {"count": told}, messages.SUCCESS)

    @admin.action(description=_("Unblock the selected slots"))
    def unblock_slots(self, request, queryset):
        for slot in queryset:
            services.slot_unblock(actor=request.user, slot_id=slot.pk)
        self.message_user(request, _("Unblocked."), messages.SUCCESS)


class AppointmentEventInline(admin.TabularInline):
    model = AppointmentEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "actor", "on_behalf", "from_slot", "to_slot", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    hospital_lookup = "slot__department__hospital"
    list_display = ("reference", "starts_at", "department_name", "resident", "status",
                    yes_no(Appointment, "pay_with_vouchers"), "booked_by")
    list_filter = ("status", "pay_with_vouchers", "slot__department__hospital")
    list_select_related = ("slot__department__specialty", "resident__profile", "booked_by__profile")
    search_fields = ("reference",)
    date_hierarchy = "starts_at"
    fields = ("reference", "resident", "slot", "status", "reason", "id_document", yes_no(Appointment, "pay_with_vouchers"),
              "booked_by", "created_at", "cancelled_at")
    readonly_fields = fields
    inlines = [AppointmentEventInline]
    actions = ["mark_attended", "mark_no_show"]

    @admin.display(description=_("department"))
    def department_name(self, obj):
        return obj.slot.department.display_name

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _mark(self, request, queryset, status):
        done = failed = 0
        for appointment in queryset:
            try:
                services.appointment_mark(actor=request.user, appointment_id=appointment.pk, status=status)
                done += 1
            except (services.BookingError, services.NotPermitted):
                failed += 1
        self.message_user(request, _("%(done)d updated, %(failed)d could not be changed.") % {"done": done, "failed": failed},
                          messages.SUCCESS if not failed else messages.WARNING)

    @admin.action(description=_("Mark the selected appointments as attended"))
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.ATTENDED)

    @admin.action(description=_("Mark the selected appointments as did not attend"))
    def mark_no_show(self, request, queryset):
        self._mark(request, queryset, Appointment.Status.NO_SHOW)


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(DepartmentScopedMixin, admin.ModelAdmin):
    list_display = ("date", "department", "resident", "status", "offer_expires_at", "created_at")
    list_filter = ("status",)
    list_select_related = ("department__specialty", "resident__profile")
    readonly_fields = ("resident", "department", "date", "slot", "offered_slot", "status", "offer_expires_at", "added_by")

    def has_add_permission(self, request):
        return False
