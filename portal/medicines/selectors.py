"""Reads of the Connect list: the search and an item with its institutions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from portal.core.caching import cached_at_data_version
from portal.hospitals.search import ResultPage, rank_expression, search_filter, search_page
from portal.hospitals.selectors import OPTIONS_CACHE_SECONDS, PAGE_SIZE

from .models import ConnectItem, ConnectListTotals, ItemApproval, TherapeuticArea


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str = ""
    therapeutic_area: str = ""
    status: str = ""


def ranked_items(filters: ItemFilters) -> QuerySet[ConnectItem]:
    """Items matching the filters, best first: by how well a name matches the query,
    then by generic name."""
    queryset = ConnectItem.objects.all()
    if filters.kind in ConnectItem.Kind.values:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status in ConnectItem.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.therapeutic_area:
        queryset = queryset.filter(therapeutic_area__code=filters.therapeutic_area)
    condition = search_filter(filters.q)
    if condition is None:
        return queryset.order_by("generic_name", "id")
    return queryset.filter(condition).annotate(rank=rank_expression(filters.q)).order_by("rank", "generic_name", "id")


def item_search(filters: ItemFilters, *, number: int = 1, size: int = PAGE_SIZE) -> ResultPage:
    """Page `number` of the Connect list search, for the search page and the API: two
    queries (the ranked page with its count; its items with their therapeutic area
    and number of institutions)."""
    listed = ConnectItem.objects.select_related("therapeutic_area").annotate(institution_count=Count("approvals"))
    return search_page(ranked_items(filters), listed, number, size)


def therapeutic_areas() -> list[TherapeuticArea]:
    """The filter form's areas (names follow the active language): cached under the data version."""
    return cached_at_data_version("medicine-search-areas", lambda: list(TherapeuticArea.objects.order_by("code")),
                                  OPTIONS_CACHE_SECONDS)


def item_detail(slug: str) -> ConnectItem:
    """An item with its approved institutions (two queries)."""
    item = (
        ConnectItem.objects.select_related("therapeutic_area")
        .prefetch_related(Prefetch("approvals", queryset=ItemApproval.objects.select_related("hospital", "hospital__city")
                                   .order_by("hospital__city__sort_order", "hospital__slug")))
        .filter(slug=slug)
        .first()
    )
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class ConnectCoverage:
    """The published totals of the official list beside what the portal holds."""

    published: ConnectListTotals | None
    items: int
    drugs: int
    devices: int
    institutions: int


def connect_list_coverage() -> ConnectCoverage:
    """The latest published totals and the portal's own counts of listed items
    (two queries, then cached under the data version): every Connect item and
    hospital page shows them, so no one takes the portal's list for the whole list."""
    return cached_at_data_version("connect-list-coverage", _coverage, OPTIONS_CACHE_SECONDS)


def _coverage() -> ConnectCoverage:
    listed = ConnectItem.objects.filter(status=ConnectItem.Status.LISTED)
    counts = listed.aggregate(
        items=Count("id", distinct=True),
        drugs=Count("id", filter=Q(kind=ConnectItem.Kind.DRUG), distinct=True),
        devices=Count("id", filter=Q(kind=ConnectItem.Kind.DEVICE), distinct=True),
        institutions=Count("approvals__hospital", distinct=True),
    )
    return ConnectCoverage(published=ConnectListTotals.objects.order_by("-as_of").first(), **counts)
