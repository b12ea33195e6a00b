"""The search page's SQL (portal/hospitals/search_sql.py) gives the same hospitals, in
the same order and with the same total, as the ORM reference (selectors.hospital_search),
for every filter, language and page, on SQLite locally and on PostgreSQL in CI."""

import itertools

import pytest
from django.db import connection
from django.utils import translation

from portal.hospitals.models import BorderPoint, Specialty
from portal.hospitals.search_sql import hospital_result_rows
from portal.hospitals.selectors import (
    HospitalFilters,
    hospital_matches,
    hospital_search,
    specialty_codes_by_hospital,
)
from tests import factories

NAMES = [  # (en, zh_hant, zh_hans): shared words, so queries match several, some exactly
    ("Shenzhen Eye Hospital", "深圳眼科醫院", "深圳眼科医院"),
    ("Shenzhen Eye", "深圳眼科", "深圳眼科"),
    ("Futian People's Hospital", "福田人民醫院", "福田人民医院"),
    ("Eye Centre 100% Care_", "眼科中心", "眼科中心"),
    ("Nanshan Hospital", "南山醫院", "南山医院"),
    ("Guangzhou Eye Hospital", "廣州眼科醫院", "广州眼科医院"),
]


@pytest.fixture
def hospitals(db):
    cities = [factories.CityFactory(code=code, name_en=code.title(), sort_order=order)
              for order, code in enumerate(["shenzhen", "guangzhou", "zhuhai"])]
    eye = factories.SpecialtyFactory(code="ophthalmology", name_en="Ophthalmology")
    gp = factories.SpecialtyFactory(code="general-practice")
    factories.BorderPointFactory()
    for index in range(36):
        en, hant, hans = NAMES[index % len(NAMES)]
        suffix = f" {index // len(NAMES)}" if index >= len(NAMES) else ""
        hospital = factories.HospitalFactory(
            slug=f"h-{index:02d}", name_en=en + suffix, name_zh_hant=hant + suffix.strip(),
            name_zh_hans=hans + suffix.strip(), city=cities[index % 3], is_active=index % 11 != 5,
            is_voucher_point=index % 2 == 0, is_connect_designated=index % 3 == 0,
            ambulance_role="sending" if index % 4 == 0 else "", speaks_english=index % 5 == 0,
            latitude="22.520" if index % 2 else "23.129", longitude="113.950" if index % 2 else "113.264")
        factories.DepartmentFactory(hospital=hospital, specialty=eye if index % 2 else gp)
        if index % 3 == 0:
            factories.DepartmentFactory(hospital=hospital, specialty=gp if index % 2 else eye)


FILTERS = [
    HospitalFilters(),
    HospitalFilters(q="eye"),
    HospitalFilters(q="Shenzhen Eye"),
    HospitalFilters(q="眼科"),
    HospitalFilters(q="眼"),
    HospitalFilters(q="医院"),
    # several terms, the first Chinese: exact and prefix ranks after the rank's first-term guard
    HospitalFilters(q="深圳眼科"),
    HospitalFilters(q="深圳眼科 医院"),
    HospitalFilters(q="眼科中心 care"),
    HospitalFilters(q="Shenzhen Eye 1"),
    HospitalFilters(q="100%"),
    HospitalFilters(q="care_"),
    HospitalFilters(q="hospital", city="guangzhou"),
    HospitalFilters(q="eye", programme="voucher"),
    HospitalFilters(programme="ambulance"),
    HospitalFilters(programme="connect", language="english"),
    HospitalFilters(specialty="ophthalmology"),
    HospitalFilters(q="hospital", specialty="general-practice"),
    HospitalFilters(border_point="shenzhen-bay", within_km=10),
    HospitalFilters(q="eye", border_point="shenzhen-bay", within_km=50),
    HospitalFilters(border_point="nowhere"),
    HospitalFilters(q="no such hospital"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f.cache_parts()))
def test_same_rows_order_and_total_as_the_orm(hospitals, filters):
    points = list(BorderPoint.objects.all())
    for language, (offset, limit) in itertools.product(("en", "zh-hant", "zh-hans"), ((0, 20), (20, 20), (5, 7))):
        with translation.override(language):
            expected = [hospital.slug for hospital in hospital_search(filters, points)[offset : offset + limit]]
            total = hospital_matches(filters, points).count()
            rows = hospital_result_rows(filters, points, language, offset, limit)
        assert [row["slug"] for row in rows] == expected, (language, offset)
        assert all(row["result_total"] == total for row in rows)
        if connection.vendor == "postgresql" and rows:
            # The array read with the rows equals what the separate query reads.
            code_of = dict(Specialty.objects.values_list("id", "code"))
            from_rows = specialty_codes_by_hospital(rows, code_of)
            from_query = specialty_codes_by_hospital([{"id": row["id"]} for row in rows], code_of)
            assert from_rows == from_query


def test_the_filters_narrow_the_result(hospitals):
    """Not vacuous: the matrix above compares real, different results."""
    points = list(BorderPoint.objects.all())
    totals = {f.cache_parts(): hospital_matches(f, points).count() for f in FILTERS}
    assert totals[HospitalFilters().cache_parts()] == 33  # 36, three of them closed
    assert 0 < totals[HospitalFilters(q="eye").cache_parts()] < 33
    assert totals[HospitalFilters(q="no such hospital").cache_parts()] == 0
    assert len(set(totals.values())) >= 8


@pytest.mark.parametrize("language", [None, "fr", "en; DROP TABLE hospitals_hospital"])
def test_an_unknown_language_sorts_by_the_default_language(hospitals, language):
    """The sort column's name is written into the SQL: only a known language chooses it."""
    points = list(BorderPoint.objects.all())
    rows = hospital_result_rows(HospitalFilters(q="eye"), points, language, 0, 20)
    with translation.override("en"):
        expected = [hospital.slug for hospital in hospital_search(HospitalFilters(q="eye"), points)[:20]]
    assert [row["slug"] for row in rows] == expected


def test_a_specialty_missing_from_cached_options_is_left_out():
    rows = [{"id": 1, "specialty_ids": [6, 5]}, {"id": 2, "specialty_ids": []}]
    assert specialty_codes_by_hospital(rows, {5: "surgery", 6: "eye"}) == {1: ["eye", "surgery"], 2: []}
    assert specialty_codes_by_hospital(rows, {5: "surgery"}) == {1: ["surgery"], 2: []}
