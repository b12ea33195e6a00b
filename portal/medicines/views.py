"""Connect list pages: the search and each item's page with its institutions."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from portal.hospitals.formhtml import filter_form_html
from portal.hospitals.pagination import CappedPaginator
from portal.hospitals.search import (
    OPTIONS_CACHE_SECONDS,
    cache_key,
    read_cached,
    search_cache_get,
    search_cache_set,
    write_cached,
)
from portal.hospitals.shell import read_for_page, render_frame, render_in_shell
from portal.hospitals.views import page_number

from .forms import ItemSearchForm
from .selectors import item_detail, item_search, therapeutic_areas

PAGE_SIZE = 20


def areas_key() -> str:
    return cache_key("medicine-areas", get_language())


def cached_areas(cached: list | None = None) -> list[dict]:
    """Therapeutic areas as plain values; `cached` is the value already read with other keys."""
    key = areas_key()
    areas = cached if cached is not None else read_cached(key)[0]
    if areas is None:
        areas = [{"code": area.code, "name": area.name} for area in therapeutic_areas()]
        write_cached(key, areas, OPTIONS_CACHE_SECONDS)
    return areas


def _results_fragment(filters, number: int) -> str:
    key = cache_key("medicine-results", get_language(), *filters.cache_parts(), number)
    fragment = search_cache_get(key)
    if fragment is None:
        paginator = CappedPaginator(item_search(filters), PAGE_SIZE)
        page = paginator.get_page(number)
        query = {name: value for name, value in zip(("q", "kind", "therapeutic_area", "status"),
                                                    filters.cache_parts(), strict=True) if value}
        fragment = render_to_string("medicines/_results.html", {"page": page, "paginator": paginator, "query": query})
        search_cache_set(key, fragment)
    return fragment


def index(request: HttpRequest) -> HttpResponse:
    content_key = cache_key("medicine-content", get_language(), sorted(request.GET.lists()))
    content, shell, areas = read_for_page(request, "medicines/index.html", content_key, areas_key())
    if content is not None:
        return render_in_shell(request, "medicines/index.html", {}, content, shell=shell)
    form = ItemSearchForm(request.GET or None, areas=cached_areas(areas))
    valid = not form.is_bound or form.is_valid()
    results = _results_fragment(form.filters(), page_number(request)) if valid else ""
    content = render_frame("medicines/_search.html", form_html=filter_form_html(form), results=results)
    if valid:
        search_cache_set(content_key, content)
    return render_in_shell(request, "medicines/index.html", {}, content, status=200 if valid else 400, shell=shell)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "medicines/detail.html", {"item": item_detail(slug)})
