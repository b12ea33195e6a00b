"""Page shells for anonymous visitors.

The layout around a search (header, navigation, language switcher, footer) does
not depend on the query, yet rendering it costs several times a trivial Django
view. For a visitor without a session, a page's layout is rendered once per
language and data version with three markers, cached, and filled per request
with the visitor's CSRF token, the page's own path (the language switcher's
`next`) and the page content. Signed-in users (their own header and messages)
always get a normal render."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .search import (
    OPTIONS_CACHE_SECONDS,
    SEARCH_CACHE_SECONDS,
    cache_key,
    read_cached,
    write_cached,
)

CONTENT_MARK = "PORTALSHELLCONTENT7f3a"
CSRF_MARK = "PORTALSHELLCSRF7f3a"
PATH_MARK = "/PORTALSHELLPATH7f3a"


class _ShellRequest:
    """The real request, except that its path is a marker."""

    def __init__(self, request: HttpRequest):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_full_path(self, *args, **kwargs) -> str:
        return PATH_MARK


def shell_applies(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _shell_key(template: str) -> str:
    return cache_key("shell", template, get_language())


def read_for_page(request: HttpRequest, template: str, content_key: str, *other_keys: str) -> list:
    """[cached content, cached shell, *other cached values] for a search page, all in
    one round trip to the cache. The content is not read with the search cache off;
    the shell only for a visitor it applies to (None otherwise)."""
    keys = {
        "content": content_key if SEARCH_CACHE_SECONDS else None,
        "shell": _shell_key(template) if shell_applies(request) else None,
    }
    wanted = [key for key in (*keys.values(), *other_keys) if key]
    found = dict(zip(wanted, read_cached(*wanted), strict=True))
    return [found.get(key) if key else None for key in (*keys.values(), *other_keys)]


def render_frame(template: str, *, context: dict | None = None, **slots: str) -> str:
    """`template` rendered with `slots` (already-safe HTML) as its variables of those
    names. A search page's frame (its form's buttons and labels, the map's region)
    depends only on the language, so it is rendered once per language and process
    with a marker in each slot, then filled by string joins. Pass the slots in the
    order the template shows them, each shown once (anything else raises);
    `context` holds the frame's other variables, which must be constants
    (settings). Rendered afresh every time with DEBUG, so an edited template
    shows at once."""
    names = tuple(slots)
    if settings.DEBUG:
        return render_to_string(template, {**(context or {}), **{name: mark_safe(slots[name]) for name in names}})  # noqa: S308
    parts = _frame_parts(template, get_language(), names, tuple(sorted((context or {}).items())))
    pieces = [parts[0]]
    for name, part in zip(names, parts[1:], strict=True):
        pieces += [slots[name], part]
    return "".join(pieces)


@lru_cache(maxsize=32)
def _frame_parts(template: str, language: str, names: tuple[str, ...], context: tuple) -> list[str]:
    """The frame's text between the slots, in order (`language` is the active one; it
    is part of the key only)."""
    markers = {name: f"PORTALFRAMESLOT{index}7f3a" for index, name in enumerate(names)}
    html = render_to_string(template, {**dict(context), **{name: mark_safe(marker) for name, marker in markers.items()}})  # noqa: S308
    parts = []
    for name in names:
        before, found, html = html.partition(markers[name])
        if not found:
            raise ValueError(f"{template} does not show {name} exactly once")
        parts.append(before)
    if any(marker in html for marker in markers.values()):
        raise ValueError(f"{template} shows a slot more than once")
    return [*parts, html]


def render_in_shell(request: HttpRequest, template: str, context: dict, content: str, status: int = 200,
                    shell: str | None = None) -> HttpResponse:
    """Render `template` with `content` (already-safe HTML) as its `content` variable.
    `shell`, when given, is the cached shell already read with the content."""
    if not shell_applies(request):
        return HttpResponse(render_to_string(template, {**context, "content": mark_safe(content)},  # noqa: S308
                                             request=request), status=status)
    key = _shell_key(template)
    if shell is None:
        (shell,) = read_cached(key)
    if shell is None:
        shell = render_to_string(template, {**context, "content": mark_safe(CONTENT_MARK),  # noqa: S308
                                            "csrf_token": CSRF_MARK, "request": _ShellRequest(request)},
                                 request=request)
        write_cached(key, shell, OPTIONS_CACHE_SECONDS)
    html = (shell.replace(CSRF_MARK, get_token(request)).replace(PATH_MARK, escape(request.get_full_path()))
            .replace(CONTENT_MARK, content))
    return HttpResponse(html, status=status)
