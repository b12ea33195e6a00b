"""Connect list pages: the search and each item's page with its institutions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.core.caching import cache_anonymous_page
from portal.hospitals.views import page_number

from .forms import ItemSearchForm
from .selectors import item_detail, item_search, therapeutic_areas


@cache_anonymous_page
def index(request: HttpRequest) -> HttpResponse:
    form = ItemSearchForm(request.GET or None, areas=therapeutic_areas())
    valid = not form.is_bound or form.is_valid()
    page = item_search(form.filters(), number=page_number(request)) if valid else None
    return render(request, "medicines/index.html", {"form": form, "page": page}, status=200 if valid else 400)


@cache_anonymous_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "medicines/detail.html", {"item": item_detail(slug)})
