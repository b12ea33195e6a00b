from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from portal.accounts.selectors import is_staff_member, staff_tools


def home(request: HttpRequest) -> HttpResponse:
    # Staff work from their own dashboard; the home page's cards are for residents.
    if request.user.is_authenticated and is_staff_member(request.user):
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """A resident's services, or a staff member's tools (no resident cards)."""
    if is_staff_member(request.user):
        return render(request, "core/staff_dashboard.html", {"tools": staff_tools(request.user)})
    return render(request, "core/dashboard.html")


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus: a signed-in user's choice is saved on their
    account, so later pages and their notifications use it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        request.POST = request.POST.copy()
        request.POST["next"] = "/"
        next_url = "/"
    # Django translates `next` by resolving it in the active language, so make
    # the language of the page the person came from the active one.
    page_language = translation.get_language_from_path(next_url)
    if page_language:
        translation.activate(page_language)
    return django_set_language(request)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers (503 when it does not)."""
    from django.db import connection

    connection.close_if_health_check_failed()  # a connection the server dropped is replaced
    connection.ensure_connection()
    if not connection.is_usable():
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("core:home")


def coming_soon(request: HttpRequest, service: str) -> HttpResponse:
    """An honest page for a service that is not built yet, instead of a dead link."""
    return render(request, "core/coming_soon.html", {"service": service}, status=200)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL no view matched: JSON under /api/ (as the API's own 404s),
    the page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for a request Django refused before any view (a body it could not read,
    too many fields): JSON under /api/, the page in the visitor's language otherwise
    (Django's own handler renders the page without the request)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("The request could not be read. Nothing was saved.")}, status=400)
    return render(request, "400.html", status=400)
