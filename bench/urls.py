"""The portal's URLs plus the baseline every HTTP figure is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import handler404  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """Django's full middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *portal_urlpatterns]
