"""Reads of the Connect list: the search and an item with its institutions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from portal.hospitals.search import apply_search

from .models import ConnectItem, ItemApproval, TherapeuticArea


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    kind: str = ""
    therapeutic_area: str = ""
    status: str = ""

    def cache_parts(self) -> tuple:
        return (self.q.strip(), self.kind, self.therapeutic_area, self.status)


def item_search(filters: ItemFilters) -> QuerySet[ConnectItem]:
    """Items matching the filters, best matches first, with their institution count (one query)."""
    queryset = ConnectItem.objects.select_related("therapeutic_area")
    if filters.kind in ConnectItem.Kind.values:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status in ConnectItem.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.therapeutic_area:
        queryset = queryset.filter(therapeutic_area__code=filters.therapeutic_area)
    queryset, searched = apply_search(queryset, filters.q)
    # A correlated count (index on item_id) rather than a join and GROUP BY over every approval.
    approvals = (ItemApproval.objects.filter(item=OuterRef("pk")).order_by().values("item")
                 .annotate(n=Count("id")).values("n"))
    queryset = queryset.annotate(
        institution_count=Coalesce(Subquery(approvals, output_field=IntegerField()), 0))
    if searched:
        return queryset.order_by("search_rank", "generic_name", "id")
    return queryset.order_by("generic_name", "id")


def therapeutic_areas() -> list[TherapeuticArea]:
    return list(TherapeuticArea.objects.order_by("code"))


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
