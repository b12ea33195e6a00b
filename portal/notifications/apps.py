from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_welcome_on_email_confirmed, dispatch_uid="notifications_welcome")


def _welcome_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    """Integration point only: the flow lives in services.notify_welcome."""
    from .services import notify_welcome

    notify_welcome(user=email_address.user)
