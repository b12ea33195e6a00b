"""Hospital pages: the search with filters, map and list, and each hospital's page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from portal.core.caching import cache_anonymous_page, cached_for_path
from portal.medicines.selectors import connect_list_coverage

from .forms import HospitalSearchForm
from .selectors import hospital_detail, hospital_search, search_options


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def search_block(request: HttpRequest) -> tuple[int, str]:
    """The status and the HTML of the search at this address: the form, the map and
    the results, or the form and its errors (400). Nothing in it depends on who asks
    (no context processor runs), so it can be cached per address."""
    options = search_options()
    form = HospitalSearchForm(request.GET or None, options=options)
    ports = [{"name": point.name, "lat": float(point.latitude), "lon": float(point.longitude)}
             for point in options["border_points"]]
    context = {"form": form, "query": request.GET, "MAP_TILE_URL": settings.MAP_TILE_URL, "ports": ports}
    if form.is_bound and not form.is_valid():
        return 400, render_to_string("hospitals/_search.html", context)
    context["page"] = hospital_search(form.filters(), number=page_number(request), options=options)
    return 200, render_to_string("hospitals/_search.html", context)


@cache_anonymous_page
def index(request: HttpRequest) -> HttpResponse:
    status, search = cached_for_path(request, "hospital-search", lambda: search_block(request))
    return render(request, "hospitals/index.html", {"search": search}, status=status)


@cache_anonymous_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    hospital, nearby = hospital_detail(slug)
    return render(request, "hospitals/detail.html", {"hospital": hospital, "nearby": nearby,
                                                     "coverage": connect_list_coverage()})
