"""Reads about hospitals, including who may manage which hospital, and the search."""

from __future__ import annotations

from dataclasses import dataclass
from math import cos, radians

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from .geo import nearest_border_points
from .models import BorderPoint, City, Department, Hospital, Specialty
from .search import query_terms, rank_expression, search_filtered


def hospital_ids_managed_by(user) -> list[int]:
    """Hospitals a user administers; superusers manage all of them."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Hospital.objects.values_list("id", flat=True))
    return list(user.hospital_memberships.values_list("hospital_id", flat=True))


def hospitals_managed_by(user) -> QuerySet[Hospital]:
    if user.is_superuser:
        return Hospital.objects.all()
    return Hospital.objects.filter(memberships__user=user)


def user_manages_hospital(user, hospital_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.hospital_memberships.filter(hospital_id=hospital_id).exists()


# --- Search -----------------------------------------------------------------

PROGRAMME_FILTERS = {
    "connect": Q(is_connect_designated=True),
    "voucher": Q(is_voucher_point=True),
    "ambulance": ~Q(ambulance_role=""),
    "hk-gp": Q(has_hk_style_gp=True),
    "insurance": Q(accepts_insurance=True),
}
LANGUAGE_FILTERS = {
    "cantonese": Q(speaks_cantonese=True),
    "putonghua": Q(speaks_putonghua=True),
    "english": Q(speaks_english=True),
    "portuguese": Q(speaks_portuguese=True),
}
NEAR_KM_CHOICES = (10, 25, 50)
DEFAULT_NEAR_KM = 25


@dataclass(frozen=True)
class HospitalFilters:
    q: str = ""
    city: str = ""
    programme: str = ""
    specialty: str = ""
    language: str = ""
    border_point: str = ""
    within_km: int = DEFAULT_NEAR_KM

    def cache_parts(self) -> tuple:
        return (self.q.strip(), self.city, self.programme, self.specialty, self.language, self.border_point,
                self.within_km)


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box around a point: a cheap, index-friendly
    "within about km" filter."""
    lat_delta = km / 111.0
    lon_delta = km / (111.0 * max(cos(radians(latitude)), 0.01))
    return latitude - lat_delta, latitude + lat_delta, longitude - lon_delta, longitude + lon_delta


def _bounding_box(latitude: float, longitude: float, km: float) -> Q:
    south, north, west, east = bounding_box(latitude, longitude, km)
    return Q(latitude__range=(south, north), longitude__range=(west, east))


def hospital_matches(filters: HospitalFilters, border_points: list[BorderPoint] | None = None) -> QuerySet[Hospital]:
    """Active hospitals matching the filters, unordered: what a count needs."""
    queryset = Hospital.objects.filter(is_active=True)
    if filters.city:
        queryset = queryset.filter(city__code=filters.city)
    if filters.programme in PROGRAMME_FILTERS:
        queryset = queryset.filter(PROGRAMME_FILTERS[filters.programme])
    if filters.language in LANGUAGE_FILTERS:
        queryset = queryset.filter(LANGUAGE_FILTERS[filters.language])
    if filters.specialty:
        queryset = queryset.filter(Exists(Department.objects.filter(
            hospital=OuterRef("pk"), specialty__code=filters.specialty)))
    if filters.border_point:
        point = next((p for p in border_points or [] if p.code == filters.border_point), None)
        if point is None:
            point = BorderPoint.objects.filter(code=filters.border_point).first()
        if point is None:
            return queryset.none()
        queryset = queryset.filter(_bounding_box(float(point.latitude), float(point.longitude), filters.within_km))
    return search_filtered(queryset, filters.q)


def best_first(matches: QuerySet[Hospital], query: str) -> QuerySet[Hospital]:
    """`matches` in result order: by how well a name matches the query, then by name;
    without a query, by city and name."""
    if query_terms(query):
        return matches.annotate(search_rank=rank_expression(query)).order_by("search_rank", "name", "id")
    return matches.order_by("city__sort_order", "name", "id")


def hospital_search(filters: HospitalFilters, border_points: list[BorderPoint] | None = None) -> QuerySet[Hospital]:
    """Active hospitals matching the filters, best matches first. One query when evaluated
    (plus one for specialties if the caller prefetches them)."""
    return best_first(hospital_matches(filters, border_points), filters.q).select_related("city")


# What a result list shows: reading only these keeps the sorted rows narrow.
LIST_FIELDS = [
    "slug", "city", "district", "latitude", "longitude", "is_connect_designated", "is_voucher_point",
    "ambulance_role", "has_hk_style_gp", "accepts_insurance", "speaks_cantonese", "speaks_putonghua",
    "speaks_english", "speaks_portuguese", "name_en", "name_zh_hant", "name_zh_hans", "short_name_en",
    "short_name_zh_hant", "short_name_zh_hans", "address_en", "address_zh_hant", "address_zh_hans",
    "opening_hours_en", "opening_hours_zh_hant", "opening_hours_zh_hans", "phone", "website",
    "city__code", "city__name_en", "city__name_zh_hant", "city__name_zh_hans", "city__sort_order",
]


def with_specialties(queryset: QuerySet[Hospital]) -> QuerySet[Hospital]:
    """For lists: only the listed columns, and each hospital's specialties (one more query)."""
    return queryset.only(*LIST_FIELDS).prefetch_related(
        Prefetch("departments", queryset=Department.objects.select_related("specialty").order_by("specialty__code"))
    )


# The search page's columns (search_sql.hospital_result_rows reads them as plain
# values): no model instances and no join to the city, whose name comes from the
# cached filter options. Building twenty model instances with their departments
# cost more than the search query itself.
LIST_VALUES = (
    "id", "slug", "city_id", "district", "latitude", "longitude", "name_en", "name_zh_hant", "name_zh_hans",
    "is_connect_designated", "is_voucher_point", "ambulance_role", "has_hk_style_gp", "accepts_insurance",
    "speaks_cantonese", "speaks_putonghua", "speaks_english", "speaks_portuguese",
)


def specialty_codes_by_hospital(hospitals: list[dict], code_of: dict[int, str]) -> dict[int, list[str]]:
    """Each listed hospital's specialty codes, in code order: from the rows when the
    search read their specialty ids (`specialty_ids`, PostgreSQL; `code_of` maps an
    id to its code), else one query."""
    if all("specialty_ids" in hospital for hospital in hospitals):
        # A specialty added in the last second may be missing from a process's
        # cached options (search.LOCAL_VERSION_SECONDS): left out, not an error.
        return {hospital["id"]: sorted(code_of[specialty_id] for specialty_id in hospital["specialty_ids"]
                                       if specialty_id in code_of)
                for hospital in hospitals}
    hospital_ids = [hospital["id"] for hospital in hospitals]
    codes: dict[int, list[str]] = {hospital_id: [] for hospital_id in hospital_ids}
    rows = (Department.objects.filter(hospital_id__in=hospital_ids).order_by("hospital_id", "specialty__code")
            .values_list("hospital_id", "specialty__code"))
    for hospital_id, code in rows:
        codes[hospital_id].append(code)
    return codes


def filter_options() -> dict:
    """Choices for the filter form, and the names a result list needs: four queries,
    cacheable as plain lists."""
    return {
        "cities": list(City.objects.filter(region="mainland").order_by("sort_order", "code")),
        "all_cities": list(City.objects.all()),
        "specialties": list(Specialty.objects.order_by("code")),
        "border_points": list(BorderPoint.objects.order_by("code")),
    }


def hospital_detail(slug: str) -> tuple[Hospital, list]:
    """The hospital with its departments and approved Connect items, and its nearest
    border points: four queries whatever the size of the hospital."""
    from portal.medicines.models import ItemApproval

    hospital = (
        Hospital.objects.select_related("city")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.select_related("specialty").order_by("specialty__code")),
            Prefetch("connect_approvals", queryset=ItemApproval.objects.select_related("item", "item__therapeutic_area")
                     .order_by("item__generic_name_en")),
        )
        .filter(slug=slug)
        .first()
    )
    if hospital is None:
        raise Http404
    nearby = nearest_border_points(hospital, list(BorderPoint.objects.all()), limit=3)
    return hospital, nearby
