from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri


def same_page_in_each_language(request) -> list[tuple[str, str, str]]:
    """(code, name, url) of this page in each language: the language prefix of the
    path swapped, the query kept; the home page for a path without a prefix. Every
    url is a path on this site, whatever the request's path was."""
    language = translation.get_language_from_path(request.path_info)
    rest = escape_uri_path(request.path_info.removeprefix(f"/{language}/")) if language else ""
    query = iri_to_uri(request.META.get("QUERY_STRING", "")) if language else ""
    prefix = get_script_prefix()
    return [(code, name, f"{prefix}{code}/{rest}{'?' if query else ''}{query}") for code, name in settings.LANGUAGES]


def portal(request):
    """Values every page needs: the language switcher's links and the unread count."""
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from portal.notifications.selectors import unread_count

        unread = unread_count(user)
    return {"PORTAL_LANGUAGES": same_page_in_each_language(request), "unread_notifications": unread}
