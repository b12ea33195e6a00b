from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Notification


def inbox_for(user) -> QuerySet[Notification]:
    """Messages already due for the user (scheduled reminders appear when due),
    newest first. Only the columns an inbox shows are loaded."""
    return Notification.objects.filter(
        recipient=user, send_after__lte=timezone.now(), cancelled_at__isnull=True
    ).defer("body_html", "context")


def unread_count(user) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def notification_for(user, notification_id: int) -> Notification:
    """One message of the user's inbox; anyone else's (or not yet due) is a 404."""
    return get_object_or_404(inbox_for(user), pk=notification_id)
