"""The portal's one cache layer: Django's cache (Redis in production), with every
entry stamped with the data version it was built from.

The data version is one cache key, bumped after every committed change to what
the public pages show (hospitals and their places, the Connect list: see
portal.hospitals.services.search_data_changed). An entry whose stamp is not the
current version is ignored, so no page built from older data is served after a
change. The version and an entry are read in one round trip (get_many).

Every key also carries settings.RELEASE, so a deploy never serves a page or a
value built by the previous code.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import partial, wraps
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

VERSION_KEY = "data-version"
T = TypeVar("T")


def _new_version() -> int:
    # Not 1: if the key is ever evicted, restarting from a number already used
    # would make entries built from older data current again.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY)


def bump_data_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: any new value is newer than every stamp
        _new_version()


def _read(key: str) -> tuple[int, object | None]:
    """(current data version, the value under `key` if it was stored at that version)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or _new_version()
    entry = found.get(key)
    return version, entry[1] if entry is not None and entry[0] == version else None


def _key(*parts: str) -> str:
    return ":".join((settings.RELEASE, *parts))


def cached_at_data_version(name: str, build: Callable[[], T], seconds: int) -> T:
    """`build()`, or its value cached under `name` if built at the current data version."""
    key = _key(name)
    version, value = _read(key)
    if value is None:
        value = build()
        cache.set(key, (version, value), seconds)
    return value


def cached_for_path(request: HttpRequest, name: str, build: Callable[[], T]) -> T:
    """`build()`, or its value cached for this language and full path at the current
    data version: the part of a page or an API answer that depends on its address,
    not on who asks (a search form and its results), so that signed-in users, whose
    whole pages are never cached, share it too. Off with PAGE_CACHE_SECONDS = 0."""
    if not settings.PAGE_CACHE_SECONDS:
        return build()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return cached_at_data_version(f"{name}:{get_language()}:{path}", build, settings.PAGE_CACHE_SECONDS)


def _cacheable_request(request: HttpRequest) -> bool:
    """A GET for a signed-out visitor with no message waiting to be shown."""
    return (request.method in ("GET", "HEAD") and "HTTP_AUTHORIZATION" not in request.META
            and not request.user.is_authenticated and not len(get_messages(request)))


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """A complete page that leaves nothing for this visitor: no cookie, no change to
    the session, no message for the next page."""
    session = getattr(request, "session", None)
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not (session is not None and session.modified)
            and not len(get_messages(request)))


def cache_anonymous_page(view=None, *, headers: tuple[str, ...] = ()):
    """Serve a signed-out visitor's page from the cache: keyed by the release, the
    language, the full path (query string included) and the request `headers` named
    (an API's Accept), and stamped with the data version. Signed-in users, visitors
    with a message to see and responses that set a cookie always get the view
    itself. settings.PAGE_CACHE_SECONDS = 0 turns it off. The page must carry
    nothing per visitor (no CSRF token)."""
    if view is None:
        return partial(cache_anonymous_page, headers=headers)

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        address = "\n".join([request.get_full_path(), *(request.headers.get(header, "") for header in headers)])
        key = _key("page", get_language(), hashlib.sha256(address.encode()).hexdigest())
        version, page = _read(key)
        if page is not None:
            content, response_headers = page
            response = HttpResponse(content)
            for header, value in response_headers:
                response[header] = value
            return response
        response = view(request, *args, **kwargs)

        def store(response: HttpResponse) -> None:
            if _cacheable_response(request, response):
                cache.set(key, (version, (response.content, list(response.items()))), seconds)

        if getattr(response, "is_rendered", True):
            store(response)
        else:  # a TemplateResponse (DRF's Response too) is rendered after the view returns
            response.add_post_render_callback(store)
        return response

    return cached_view
