"""Admin for the outbox. Notifications hold personal data, so only superusers
see them; failures are found with the state filter, and "resend" calls the
same service any other caller would."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Delivery, Notification


class SuperuserOnlyAdminMixin:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False  # Messages are created by the portal, never typed in.

    def has_change_permission(self, request, obj=None):
        return False  # The record of what was sent is not edited; use the resend action.

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "state", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "recipient_email", "event", "language", "send_after", "read_at", "cancelled_at")
    list_filter = ("event", "language", "deliveries__channel", "deliveries__state")
    search_fields = ("recipient__email", "event", "group_key")
    list_select_related = ("recipient",)
    date_hierarchy = "send_after"
    readonly_fields = ("recipient", "event", "language", "subject", "body", "link", "group_key", "context",
                       "send_after", "created_at", "read_at", "cancelled_at")
    exclude = ("body_html",)
    inlines = [DeliveryInline]
    actions = ["resend_notifications"]

    @admin.display(description=_("recipient"), ordering="recipient__email")
    def recipient_email(self, obj):
        return obj.recipient.email

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.action(description=_("Resend the selected messages on every channel"))
    def resend_notifications(self, request, queryset):
        ids = list(Delivery.objects.filter(notification__in=queryset).values_list("id", flat=True))
        _report_resend(self, request, services.deliveries_resend(actor=request.user, delivery_ids=ids), len(ids))


@admin.register(Delivery)
class DeliveryAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "recipient_email", "event", "channel", "state", "attempts", "next_attempt_at", "sent_at",
                    "short_error")
    list_filter = ("state", "channel", "notification__event")
    search_fields = ("notification__recipient__email", "notification__event", "channel", "state")
    list_select_related = ("notification__recipient",)
    readonly_fields = ("notification", "channel", "state", "attempts", "next_attempt_at", "queued_at", "claimed_at",
                       "sent_at", "last_error")
    exclude = ("claim_token",)
    actions = ["resend"]

    @admin.display(description=_("recipient"), ordering="notification__recipient__email")
    def recipient_email(self, obj):
        return obj.notification.recipient.email

    @admin.display(description=_("event"), ordering="notification__event")
    def event(self, obj):
        return obj.notification.event

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Resend the selected deliveries"))
    def resend(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        _report_resend(self, request, services.deliveries_resend(actor=request.user, delivery_ids=ids), len(ids))


def _report_resend(model_admin, request, resent: int, chosen: int) -> None:
    model_admin.message_user(
        request,
        ngettext("%(count)d delivery was queued again.", "%(count)d deliveries were queued again.", resent)
        % {"count": resent},
        messages.SUCCESS,
    )
    if resent < chosen:
        model_admin.message_user(
            request, _("Deliveries being sent right now were left alone."), messages.WARNING
        )
