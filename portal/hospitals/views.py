"""Hospital pages: the search with filters, map and list, and each hospital's page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.core.caching import cache_anonymous_page

from .forms import HospitalSearchForm
from .selectors import hospital_detail, hospital_search, search_options


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@cache_anonymous_page
def index(request: HttpRequest) -> HttpResponse:
    options = search_options()
    form = HospitalSearchForm(request.GET or None, options=options)
    valid = not form.is_bound or form.is_valid()
    page = hospital_search(form.filters(), number=page_number(request),
                           border_points=options["border_points"]) if valid else None
    return render(request, "hospitals/index.html", {"form": form, "page": page, "MAP_TILE_URL": settings.MAP_TILE_URL},
                  status=200 if valid else 400)


@cache_anonymous_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    hospital, nearby = hospital_detail(slug)
    return render(request, "hospitals/detail.html", {"hospital": hospital, "nearby": nearby})
