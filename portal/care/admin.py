from django.contrib import admin

from .models import CareEvent, CareLink


class CareEventInline(admin.TabularInline):
    model = CareEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "rights", "end_date", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CareLink)
class CareLinkAdmin(admin.ModelAdmin):
    """Read-only, for superusers: relationships are the elder's to make, change and end."""

    list_display = ("id", "elder", "caregiver", "relationship", "status", "end_date", "transfer", "created_at")
    list_filter = ("status", "relationship")
    readonly_fields = [field.name for field in CareLink._meta.fields]
    inlines = [CareEventInline]

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
