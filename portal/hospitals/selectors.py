"""Reads about hospitals, including who may manage which hospital, and the search."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from math import cos, radians
from operator import attrgetter
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from portal.core.caching import cached_at_data_version

from .geo import NearbyBorderPoint, nearest_border_points
from .models import BorderPoint, City, Department, Hospital, Specialty
from .search import ResultPage, rank_expression, search_filter, search_page


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

def takes_macao_vouchers() -> Exists:
    """The condition of `Hospital.takes_macao_vouchers`, for a hospital query."""
    from portal.vouchers.models import MacaoVoucherPlace

    return Exists(MacaoVoucherPlace.objects.accepting().filter(hospital=OuterRef("pk")))


PROGRAMME_FILTERS = {
    "connect": Q(is_connect_designated=True),
    "voucher": Q(is_voucher_point=True),
    "ambulance": ~Q(ambulance_role=""),
    "hk-gp": Q(has_hk_style_gp=True),
    "insurance": Q(accepts_insurance=True),
    "macao-voucher": Q(takes_macao_vouchers=True),
}
LANGUAGE_FILTERS = {
    "cantonese": Q(speaks_cantonese=True),
    "putonghua": Q(speaks_putonghua=True),
    "english": Q(speaks_english=True),
    "portuguese": Q(speaks_portuguese=True),
}
NEAR_KM_CHOICES = (10, 25, 50)
DEFAULT_NEAR_KM = 25
PAGE_SIZE = 20
# The options change only with the data; the data version retires them sooner.
OPTIONS_CACHE_SECONDS = 3600


@dataclass(frozen=True)
class HospitalFilters:
    q: str = ""
    city: str = ""
    programme: str = ""
    specialty: str = ""
    language: str = ""
    border_point: str = ""
    within_km: int = DEFAULT_NEAR_KM


def bounding_box(latitude: float, longitude: float, km: float) -> Q:
    """A box around a point: a cheap, index-friendly "within about km" filter."""
    lat_delta = km / 111.0
    lon_delta = km / (111.0 * max(cos(radians(latitude)), 0.01))
    return Q(latitude__range=(latitude - lat_delta, latitude + lat_delta),
             longitude__range=(longitude - lon_delta, longitude + lon_delta))


class Choice(NamedTuple):
    """A city, specialty or border point as the search shows it: named in one language."""

    id: int
    code: str
    name: str
    latitude: float | None = None
    longitude: float | None = None

    def __str__(self) -> str:
        return self.name


def search_options() -> dict[str, list[Choice]]:
    """The filter form's cities, specialties and border points, named in the active
    language: three queries, cached per language under the data version."""
    def read() -> dict[str, list[Choice]]:
        return {
            "cities": [Choice(city.id, city.code, city.name) for city in
                       City.objects.filter(region="mainland").order_by("sort_order", "code")],
            "specialties": [Choice(specialty.id, specialty.code, specialty.name) for specialty in
                            Specialty.objects.order_by("code")],
            "border_points": [Choice(point.id, point.code, point.name, float(point.latitude), float(point.longitude))
                              for point in BorderPoint.objects.order_by("code")],
        }

    return cached_at_data_version(f"hospital-search-options:{get_language()}", read, OPTIONS_CACHE_SECONDS)


def ranked_hospitals(filters: HospitalFilters, border_points: list[Choice]) -> QuerySet[Hospital]:
    """Active hospitals matching the filters, best first: by how well a name matches
    the query, then by name; without a query, by city and name."""
    queryset = Hospital.objects.filter(is_active=True)
    if filters.city:
        queryset = queryset.filter(city__code=filters.city)
    if filters.programme in PROGRAMME_FILTERS:
        queryset = queryset.alias(takes_macao_vouchers=takes_macao_vouchers()).filter(
            PROGRAMME_FILTERS[filters.programme])
    if filters.language in LANGUAGE_FILTERS:
        queryset = queryset.filter(LANGUAGE_FILTERS[filters.language])
    if filters.specialty:
        queryset = queryset.filter(Exists(Department.objects.filter(
            hospital=OuterRef("pk"), specialty__code=filters.specialty)))
    if filters.border_point:
        point = next((point for point in border_points if point.code == filters.border_point), None)
        if point is None:
            return queryset.none()
        queryset = queryset.filter(bounding_box(float(point.latitude), float(point.longitude), filters.within_km))
    condition = search_filter(filters.q)
    if condition is None:
        return queryset.order_by("city__sort_order", "name", "id")
    return queryset.filter(condition).annotate(rank=rank_expression(filters.q)).order_by("rank", "name", "id")


def hospital_search(filters: HospitalFilters, *, number: int = 1, size: int = PAGE_SIZE,
                    options: dict | None = None) -> ResultPage:
    """Page `number` of the hospital search, for the search page and the API: three
    queries (the ranked page with its count, its hospitals with their city, their
    departments' specialties) and the search options (cached; pass them if read
    already). Each hospital gets `specialties` (in code order) and `nearest`: its
    nearest border point, at a distance rounded to 0.1 km (None without coordinates)."""
    options = options or search_options()
    page = search_page(ranked_hospitals(filters, options["border_points"]),
                       Hospital.objects.select_related("city").annotate(takes_macao_vouchers=takes_macao_vouchers()),
                       number, size)
    specialties = {specialty.id: specialty for specialty in options["specialties"]}
    offered = defaultdict(list)
    for hospital_id, specialty_id in Department.objects.filter(hospital__in=page.rows).values_list(
            "hospital_id", "specialty_id"):
        if specialty_id in specialties:  # else added since the options were read: shown after the next change
            offered[hospital_id].append(specialties[specialty_id])
    for hospital in page.rows:
        hospital.specialties = sorted(offered[hospital.id], key=attrgetter("code"))
        nearest = nearest_border_points(hospital, options["border_points"], limit=1)
        hospital.nearest = NearbyBorderPoint(nearest[0].border_point, round(nearest[0].distance_km, 1)) if nearest else None
    return page


def hospital_detail(slug: str) -> tuple[Hospital, list]:
    """The hospital with its departments (and their `specialties`) and approved Connect
    items, and its nearest border points: four queries whatever the size of the hospital."""
    from portal.medicines.models import ItemApproval

    hospital = (
        Hospital.objects.select_related("city")
        .annotate(takes_macao_vouchers=takes_macao_vouchers())
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
    hospital.specialties = [department.specialty for department in hospital.departments.all()]
    nearby = nearest_border_points(hospital, list(BorderPoint.objects.all()), limit=3)
    return hospital, nearby
