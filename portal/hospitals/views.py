"""Hospital pages: the search with filters, map and list, and each hospital's page."""

import html
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext

from portal.core.translated import translated_columns, translated_value

from .formhtml import filter_form_html
from .forms import HospitalSearchForm
from .geo import nearest_point_index
from .pagination import RowSource, WindowCountPaginator
from .search import (
    OPTIONS_CACHE_SECONDS,
    cache_key,
    read_cached,
    search_cache_get,
    search_cache_set,
    version_memo,
    write_cached,
)
from .search_sql import hospital_result_rows
from .selectors import (
    filter_options,
    hospital_detail,
    hospital_matches,
    specialty_codes_by_hospital,
)
from .shell import read_for_page, render_frame, render_in_shell

PAGE_SIZE = 20
# Hospital cards each process keeps (see _cards_html): all hospitals of a ×100
# data set in three languages, about 10 MB.
CARD_MEMO_LIMIT = 20_000


def filter_options_key() -> str:
    # The "3" is the shape of the cached value: change it when the shape changes, so
    # a deploy never reads a value written by the previous release.
    return cache_key("hospital-options", 3, get_language())


def cached_filter_options(cached: dict | None = None) -> dict:
    """Filter choices as plain values, cached per language and data version. `cached`
    is the value already read from the cache with other keys, if it was there."""
    key = filter_options_key()
    options = cached if cached is not None else read_cached(key)[0]
    if options is None:
        found = filter_options()
        options = {
            "cities": [{"code": c.code, "name": c.name} for c in found["cities"]],
            "city_names": {c.id: c.name for c in found["all_cities"]},
            "specialties": [{"id": s.id, "code": s.code, "name": s.name} for s in found["specialties"]],
            "border_points": [{"code": b.code, "name": b.name, "latitude": float(b.latitude),
                               "longitude": float(b.longitude)} for b in found["border_points"]],
        }
        write_cached(key, options, OPTIONS_CACHE_SECONDS)
    return options


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _row_labels() -> dict:
    return _row_labels_in(get_language())


@lru_cache(maxsize=8)
def _row_labels_in(language: str) -> dict:
    """Translated labels used on every row, looked up once per language (`language`
    is the active one: it is only the key)."""
    return {
        "programmes": (
            ("is_connect_designated", gettext("Medicine and Equipment Connect")),
            ("is_voucher_point", gettext("Elderly Health Care Vouchers")),
            ("ambulance_role", gettext("Cross-boundary ambulance transfer")),
            ("has_hk_style_gp", gettext("Hong Kong-style general practice")),
            ("accepts_insurance", gettext("Accepts Hong Kong or international insurance")),
        ),
        "languages": (
            ("speaks_cantonese", gettext("Cantonese")), ("speaks_putonghua", gettext("Putonghua")),
            ("speaks_english", gettext("English")), ("speaks_portuguese", gettext("Portuguese")),
        ),
        "distance": gettext("%(distance)s km from %(point)s"),
        "specialties": gettext("Specialties:"),
        "languages_label": gettext("Languages:"),
        "url": reverse("hospitals:detail", kwargs={"slug": "SLUG"}),
    }


def _row(hospital: dict, context: dict) -> dict:
    """One result from its values() row, with its display strings ready (cheaper than
    template logic per row)."""
    labels = context["labels"]
    place = context["city_names"].get(hospital["city_id"], "")
    if hospital["district"]:
        place += f" · {hospital['district']}"
    if context["point_coordinates"] and hospital["latitude"] is not None and hospital["longitude"] is not None:
        index, distance = nearest_point_index(float(hospital["latitude"]), float(hospital["longitude"]),
                                              context["point_coordinates"])
        place += " · " + labels["distance"] % {"distance": f"{distance:.1f}", "point": context["points"][index].name}
    specialty_names = context["specialty_names"]
    specialties = ", ".join(specialty_names.get(code, code) for code in context["specialties"][hospital["id"]])
    languages = ", ".join(label for field, label in labels["languages"] if hospital[field])
    return {
        "name": translated_value(hospital, context["name_columns"]),
        "url": labels["url"].replace("SLUG", hospital["slug"]), "place": place,
        "tags": [label for field, label in labels["programmes"] if hospital[field]],
        "lat": "" if hospital["latitude"] is None else str(hospital["latitude"]),
        "lon": "" if hospital["longitude"] is None else str(hospital["longitude"]),
        "specialties": f"{labels['specialties']} {specialties}" if specialties else "",
        "languages": f"{labels['languages_label']} {languages}",
    }


def _row_html(row: dict) -> str:
    """A result as HTML (escaped): the markup the results template used to draw per row."""
    e = _escape
    location = f' data-lat="{e(row["lat"])}" data-lon="{e(row["lon"])}"' if row["lat"] else ""
    tags = "".join(f'<span class="tag">{e(tag)}</span> ' for tag in row["tags"])
    return (
        f'<li class="card hospital-result"{location} data-name="{e(row["name"])}" data-url="{e(row["url"])}">'
        f'<h3><a href="{e(row["url"])}">{e(row["name"])}</a></h3>'
        f'<p class="muted">{e(row["place"])}</p>'
        + (f"<p>{tags}</p>" if tags else "")
        + (f'<p>{e(row["specialties"])}</p>' if row["specialties"] else "")
        + f'<p>{e(row["languages"])}</p></li>'
    )


def _escape(value) -> str:
    return html.escape(str(value), quote=True)


def _cards_html(hospitals: list[dict], make_context) -> str:
    """The result cards of a page. A card depends only on its hospital, the language
    and the data version (its nearest crossing included), not on the query, so each
    process keeps the cards it has drawn until the data changes: varied searches
    keep finding the same hospitals, and drawing a card cost more than reading its
    row. The search itself still runs for every query. `make_context()` gives what
    drawing needs; it is only called when a card is missing."""
    cards = version_memo("hospital-cards", CARD_MEMO_LIMIT)
    if cards is None:
        context = make_context()
        return "".join(_row_html(_row(hospital, context)) for hospital in hospitals)
    language = get_language()
    context = None
    drawn = []
    for hospital in hospitals:
        key = (hospital["id"], language)
        card = cards.get(key)
        if card is None:
            context = context or make_context()
            card = cards[key] = _row_html(_row(hospital, context))
        drawn.append(card)
    return "".join(drawn)


@lru_cache(maxsize=8)
def _results_labels_in(language: str) -> dict:
    """The result list's fixed text in `language` (the active one: it is only the key), escaped."""
    return {name: _escape(text) for name, text in {
        "pages": gettext("Result pages"), "previous": gettext("Previous page"), "next": gettext("Next page"),
        "page_of": gettext("Page %(number)s of %(count)s"),
        "none": gettext("No hospital matches. Try fewer words, another script, or remove a filter."),
    }.items()}


def _results_html(heading: str, cards: str, page, querystring: str) -> str:
    """The result list: heading, cards and page links. Written here rather than in a
    template for the same reason as the cards: this is the busiest page, and the
    template cost as much as all the cards."""
    labels = _results_labels_in(get_language())
    parts = [f'<section aria-labelledby="results-heading"><h2 id="results-heading">{_escape(heading)}</h2>']
    if not cards:
        parts.append(f'<p class="notice">{labels["none"]}</p></section>')
        return "".join(parts)
    parts.append(f'<ol class="results">{cards}</ol>')
    if page.has_other_pages():
        link = f"?{_escape(querystring)}page="
        parts.append(f'<nav aria-label="{labels["pages"]}"><ul class="pagination">')
        if page.has_previous():
            parts.append(f'<li><a href="{link}{page.previous_page_number()}" rel="prev">{labels["previous"]}</a></li>')
        parts.append('<li><span aria-current="page">'
                     + labels["page_of"] % {"number": page.number, "count": page.paginator.num_pages} + "</span></li>")
        if page.has_next():
            parts.append(f'<li><a href="{link}{page.next_page_number()}" rel="next">{labels["next"]}</a></li>')
        parts.append("</ul></nav>")
    parts.append("</section>")
    return "".join(parts)


def _results_fragment(filters, number: int, options: dict) -> str:
    """The rendered result list (with map markers and pagination), cached per query."""
    key = cache_key("hospital-results", get_language(), *filters.cache_parts(), number)
    fragment = search_cache_get(key)
    if fragment is not None:
        return fragment
    points = [SimpleNamespace(**point) for point in options["border_points"]]
    language = get_language()
    paginator = WindowCountPaginator(RowSource(
        rows=lambda offset, limit: hospital_result_rows(filters, points, language, offset, limit),
        count=lambda: hospital_matches(filters, points).count()), PAGE_SIZE)
    page = paginator.get_page(number)
    hospitals = list(page.object_list)

    def card_context() -> dict:
        return {
            "labels": _row_labels(), "points": points, "city_names": options["city_names"],
            "point_coordinates": tuple((point.latitude, point.longitude) for point in points),
            "specialty_names": {specialty["code"]: specialty["name"] for specialty in options["specialties"]},
            "specialties": specialty_codes_by_hospital(
                hospitals, {specialty["id"]: specialty["code"] for specialty in options["specialties"]}),
            "name_columns": translated_columns("name"),
        }

    if paginator.capped:
        heading = gettext("More than %(count)s hospitals found") % {"count": intcomma(paginator.cap)}
    else:
        heading = ngettext("%(counter)s hospital found", "%(counter)s hospitals found",
                           paginator.count) % {"counter": paginator.count}
    query = {key: value for key, value in zip(
        ("q", "city", "programme", "specialty", "language", "border_point", "within_km"),
        filters.cache_parts(), strict=True) if value and not (key == "within_km" and not filters.border_point)}
    fragment = _results_html(heading, _cards_html(hospitals, card_context), page,
                             urlencode(query) + "&" if query else "")
    search_cache_set(key, fragment)
    return fragment


def index(request: HttpRequest) -> HttpResponse:
    # The whole content (form as typed, and results) is cached by the raw query
    # string; the results alone are cached by the cleaned filters underneath.
    content_key = cache_key("hospital-content", get_language(), sorted(request.GET.lists()))
    content, shell, options = read_for_page(request, "hospitals/index.html", content_key, filter_options_key())
    if content is not None:
        return render_in_shell(request, "hospitals/index.html", {}, content, shell=shell)
    options = cached_filter_options(options)
    form = HospitalSearchForm(request.GET or None, options=options)
    valid = not form.is_bound or form.is_valid()
    results = _results_fragment(form.filters(), page_number(request), options) if valid else ""
    content = render_frame("hospitals/_search.html", context={"MAP_TILE_URL": settings.MAP_TILE_URL},
                           form_html=filter_form_html(form), results=results)
    if valid:
        search_cache_set(content_key, content)
    return render_in_shell(request, "hospitals/index.html", {}, content, status=200 if valid else 400, shell=shell)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    hospital, nearby = hospital_detail(slug)
    return render(request, "hospitals/detail.html", {"hospital": hospital, "nearby": nearby})
