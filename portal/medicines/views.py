"""Connect list pages: the search and each item's page with its institutions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from portal.core.caching import cache_anonymous_page, cached_for_path
from portal.hospitals.views import page_number

from .forms import ItemSearchForm
from .selectors import connect_list_coverage, item_detail, item_search, therapeutic_areas


def search_block(request: HttpRequest) -> tuple[int, str]:
    """The status and the HTML of the search at this address: the form and the
    results, or the form and its errors (400). Nothing in it depends on who asks (no
    context processor runs), so it can be cached per address."""
    form = ItemSearchForm(request.GET or None, areas=therapeutic_areas())
    if form.is_bound and not form.is_valid():
        return 400, render_to_string("medicines/_search.html", {"form": form})
    page = item_search(form.filters(), number=page_number(request))
    return 200, render_to_string("medicines/_search.html", {"form": form, "page": page, "query": request.GET})


@cache_anonymous_page
def index(request: HttpRequest) -> HttpResponse:
    status, search = cached_for_path(request, "medicine-search", lambda: search_block(request))
    return render(request, "medicines/index.html", {"search": search, "coverage": connect_list_coverage()},
                  status=status)


@cache_anonymous_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "medicines/detail.html", {"item": item_detail(slug), "coverage": connect_list_coverage()})
