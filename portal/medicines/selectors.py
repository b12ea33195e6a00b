"""Reads of the Connect list: the search and an item with its institutions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from portal.core.translated import translated_columns, translated_value
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


# The API list's columns (each translated field in every language, the current one
# chosen with its fallbacks in item_list_entries).
ITEM_VALUES = (
    "slug", "kind", "dosage_form", "hk_registration_no", "holder", "approval_date", "status", "institution_count",
    "therapeutic_area__code",
    *(build_localized_fieldname(field, code) for field in ("generic_name", "brand_name", "indication", "coverage_notes")
      for code in ("en", "zh_hant", "zh_hans")),
    *(build_localized_fieldname("therapeutic_area__name", code) for code in ("en", "zh_hant", "zh_hans")),
)


def item_list_entries(rows: list[dict]) -> list[dict]:
    """API list entries (the fields of api.ItemSerializer) from rows of `ITEM_VALUES`
    (search_sql.item_result_rows, or the ORM reference's values()), in the active
    language with modeltranslation's fallbacks."""
    columns = {field: translated_columns(field) for field in
               ("generic_name", "brand_name", "indication", "coverage_notes", "therapeutic_area__name")}

    def localised(row: dict, field: str) -> str:
        return translated_value(row, columns[field])

    url = reverse("medicines:detail", kwargs={"slug": "SLUG"})
    return [{
        "slug": row["slug"], "kind": row["kind"], "generic_name": localised(row, "generic_name"),
        "brand_name": localised(row, "brand_name"), "dosage_form": row["dosage_form"],
        "indication": localised(row, "indication"), "therapeutic_area": row["therapeutic_area__code"],
        "therapeutic_area_name": localised(row, "therapeutic_area__name"),
        "hk_registration_no": row["hk_registration_no"], "holder": row["holder"],
        "approval_date": row["approval_date"].isoformat() if row["approval_date"] else None,
        "status": row["status"], "coverage_notes": localised(row, "coverage_notes"),
        "institution_count": row["institution_count"], "url": url.replace("SLUG", row["slug"]),
    } for row in rows]


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
