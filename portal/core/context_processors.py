from django.conf import settings


def portal(request):
    """Values every page needs: the language switcher's list and the unread count."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from portal.notifications.selectors import unread_count

        unread = unread_count(user)
    return {"PORTAL_LANGUAGES": settings.LANGUAGES, "unread_notifications": unread}
