"""The one cache layer (portal/core/caching.py): whole pages for signed-out visitors
and values built from the data, each retired by a change to the data."""

import pytest
from django.contrib import messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from portal.core import caching
from portal.hospitals.services import search_data_changed
from tests import factories

pytestmark = pytest.mark.django_db
SEARCH = "/en/hospitals/"


def renders(client, path: str, params: dict | None = None) -> bool:
    """Whether the request reached the view (a cached page runs no query)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params or {}).status_code == 200
    return len(queries) > 0


def test_a_page_is_cached_per_full_path_and_language(client):
    factories.HospitalFactory()
    assert renders(client, SEARCH, {"q": "eye"})
    assert not renders(client, SEARCH, {"q": "eye"})
    assert renders(client, SEARCH, {"q": "eye", "page": "1"})
    assert renders(client, "/zh-hant/hospitals/", {"q": "eye"})


def test_a_change_to_the_data_retires_every_cached_page(client, django_capture_on_commit_callbacks):
    hospital = factories.HospitalFactory(slug="alpha", name_en="Alpha Eye Hospital")
    assert "Alpha Eye Hospital" in client.get(SEARCH, {"q": "alpha"}).content.decode()
    hospital.name_en = "Alpha Eye Centre"
    hospital.save()
    # Without the service the cached page is still served.
    assert "Alpha Eye Hospital" in client.get(SEARCH, {"q": "alpha"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        search_data_changed()
    html = client.get(SEARCH, {"q": "alpha"}).content.decode()
    assert "Alpha Eye Centre" in html and "Alpha Eye Hospital" not in html


def test_a_new_release_renders_pages_afresh(client, settings):
    factories.HospitalFactory()
    assert renders(client, SEARCH)
    settings.RELEASE = "next-release"
    assert renders(client, SEARCH)
    assert not renders(client, SEARCH)


def test_signed_in_users_always_get_the_view(client_for, resident, client):
    factories.HospitalFactory()
    assert renders(client, SEARCH)  # cached for signed-out visitors
    signed_in = client_for(resident)
    html = signed_in.get(SEARCH).content.decode()
    assert "Sign out" in html
    assert renders(signed_in, SEARCH)
    assert "Sign out" not in client.get(SEARCH).content.decode()


def test_zero_seconds_turns_the_page_cache_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    factories.HospitalFactory()
    assert renders(client, SEARCH)
    assert renders(client, SEARCH)


def _view(response: HttpResponse, calls: list):
    @caching.cache_anonymous_page
    def view(request):
        calls.append(request)
        if response.status_code == 200 and getattr(request, "add_message", False):
            messages.info(request, "Saved.")
        return response

    return view


def _request(client_request):
    """A request through the middleware that the decorator relies on (session, user, messages)."""
    for middleware in (SessionMiddleware, AuthenticationMiddleware, MessageMiddleware):
        middleware(lambda request: None).process_request(client_request)
    return client_request


def test_a_response_that_sets_a_cookie_or_fails_is_not_cached():
    calls = []
    with_cookie = HttpResponse("hello")
    with_cookie.set_cookie("flavour", "plain")
    view = _view(with_cookie, calls)
    for _ in range(2):
        view(_request(RequestFactory().get("/cookie/")))
    failed = _view(HttpResponse("no", status=400), calls)
    for _ in range(2):
        failed(_request(RequestFactory().get("/failed/")))
    assert len(calls) == 4


def test_a_visitor_with_a_message_waiting_gets_the_view_and_its_message():
    calls = []
    view = _view(HttpResponse("page"), calls)
    view(_request(RequestFactory().get("/page/")))  # cached now
    view(_request(RequestFactory().get("/page/")))
    assert len(calls) == 1
    request = _request(RequestFactory().get("/page/"))
    messages.info(request, "You have signed out.")
    view(request)
    assert len(calls) == 2
    # Nor is a page whose view leaves a message for the next page.
    for _ in range(2):
        adds = _request(RequestFactory().get("/adds/"))
        adds.add_message = True
        _view(HttpResponse("page"), calls)(adds)
    assert len(calls) == 4


def test_values_are_rebuilt_after_a_change_and_when_the_version_is_lost():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert caching.cached_at_data_version("answer", build, 60) == 1
    assert caching.cached_at_data_version("answer", build, 60) == 1
    caching.bump_data_version()
    assert caching.cached_at_data_version("other", build, 60) == 2
    # The version key is evicted: a new version starts, and no value of an older
    # one ("answer" before the change) becomes current again.
    cache.delete(caching.VERSION_KEY)
    assert caching.cached_at_data_version("answer", build, 60) == 3
    assert caching.cached_at_data_version("answer", build, 60) == 3
