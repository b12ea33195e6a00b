"""Hospital search: cross-script, partial, ranking and filters (on any database)."""

import pytest

from portal.hospitals.selectors import HospitalFilters, hospital_search
from tests import factories


def names(filters: HospitalFilters) -> list[str]:
    return [hospital.slug for hospital in hospital_search(filters).rows]


@pytest.fixture
def traditional_only(db):
    # Stored in Traditional only, with different text in the Simplified field,
    # so only the cross-script conversion can find it.
    return factories.HospitalFactory(slug="trad", name_en="Alpha Clinic", name_zh_hant="瑪嘉烈醫院",
                                     name_zh_hans="甲乙丙")


@pytest.fixture
def simplified_only(db):
    return factories.HospitalFactory(slug="simp", name_en="Beta Clinic", name_zh_hant="丁戊己",
                                     name_zh_hans="屯门医院")


def test_simplified_query_finds_name_stored_in_traditional(traditional_only, simplified_only):
    assert names(HospitalFilters(q="玛嘉烈")) == ["trad"]


def test_traditional_query_finds_name_stored_in_simplified(traditional_only, simplified_only):
    assert names(HospitalFilters(q="屯門")) == ["simp"]


def test_single_chinese_character_matches_start_and_end_of_a_name(traditional_only, simplified_only):
    assert set(names(HospitalFilters(q="院"))) == {"trad", "simp"}
    assert names(HospitalFilters(q="瑪")) == ["trad"]


def test_english_partial_match_is_case_insensitive(traditional_only, simplified_only):
    assert names(HospitalFilters(q="alp")) == ["trad"]
    assert names(HospitalFilters(q="CLINIC")) == ["trad", "simp"]


def test_every_word_must_match(traditional_only, simplified_only):
    assert names(HospitalFilters(q="beta clinic")) == ["simp"]
    assert names(HospitalFilters(q="beta alpha")) == []


def test_exact_then_prefix_then_other_matches(db):
    factories.HospitalFactory(slug="contains", name_en="Big Eye Hospital")
    factories.HospitalFactory(slug="prefix", name_en="Eye Hospital of Zhuhai")
    factories.HospitalFactory(slug="exact", name_en="Eye Hospital")
    assert names(HospitalFilters(q="eye hospital")) == ["exact", "prefix", "contains"]


def test_no_query_lists_every_active_hospital(traditional_only, simplified_only):
    factories.HospitalFactory(slug="closed", is_active=False)
    assert set(names(HospitalFilters())) == {"trad", "simp"}


def test_filters_city_programme_language_specialty(db):
    guangzhou = factories.CityFactory(code="guangzhou", name_en="Guangzhou")
    eye = factories.SpecialtyFactory(code="ophthalmology", name_en="Ophthalmology")
    voucher = factories.HospitalFactory(slug="voucher", is_voucher_point=True, speaks_english=True)
    factories.DepartmentFactory(hospital=voucher, specialty=eye)
    factories.HospitalFactory(slug="gz", city=guangzhou, is_connect_designated=True)
    assert names(HospitalFilters(city="guangzhou")) == ["gz"]
    assert names(HospitalFilters(programme="voucher")) == ["voucher"]
    assert names(HospitalFilters(programme="connect")) == ["gz"]
    assert names(HospitalFilters(language="english")) == ["voucher"]
    assert names(HospitalFilters(specialty="ophthalmology")) == ["voucher"]
    assert names(HospitalFilters(city="guangzhou", programme="voucher")) == []


def test_near_a_border_point_keeps_hospitals_within_the_distance(db):
    factories.BorderPointFactory()  # Shenzhen Bay, 22.503 113.946
    factories.HospitalFactory(slug="near", latitude="22.520", longitude="113.950")  # about 2 km
    factories.HospitalFactory(slug="far", latitude="23.129", longitude="113.264")  # Guangzhou, about 100 km
    assert names(HospitalFilters(border_point="shenzhen-bay", within_km=10)) == ["near"]
    assert set(names(HospitalFilters(border_point="shenzhen-bay", within_km=50))) == {"near"}
    assert names(HospitalFilters(border_point="nowhere")) == []


def test_a_page_holds_its_rows_and_counts_every_match(db):
    for index in range(45):
        factories.HospitalFactory(slug=f"eye-{index:02d}", name_en=f"Eye Clinic {index:02d}")
    page = hospital_search(HospitalFilters(q="eye"), number=3, size=20)
    assert [hospital.slug for hospital in page.rows] == [f"eye-{index}" for index in range(40, 45)]
    assert (page.total, page.number, page.num_pages) == (45, 3, 3)
    assert page.has_previous and not page.has_next and page.previous_page_number == 2
    assert hospital_search(HospitalFilters(q="eye"), number=7).number == 3  # past the end: the last page
    empty = hospital_search(HospitalFilters(q="nowhere"), number=2)
    assert (empty.rows, empty.total, empty.number, empty.has_other_pages) == ([], 0, 1, False)


def test_each_result_knows_its_specialties_and_nearest_border_point(db):
    factories.BorderPointFactory()  # Shenzhen Bay, 22.503 113.946
    factories.BorderPointFactory(code="far", name_en="Far Port", latitude="23.5", longitude="113.2")
    located = factories.HospitalFactory(slug="located", latitude="22.520", longitude="113.950")
    factories.HospitalFactory(slug="unlocated", latitude=None, longitude=None)
    for code in ("surgery", "dentistry"):
        factories.DepartmentFactory(hospital=located, specialty=factories.SpecialtyFactory(code=code, name_en=code))
    rows = {hospital.slug: hospital for hospital in hospital_search(HospitalFilters()).rows}
    assert (rows["located"].nearest.border_point.code, rows["located"].nearest.distance_km) == ("shenzhen-bay", 1.9)
    assert rows["unlocated"].nearest is None
    assert [specialty.code for specialty in rows["located"].specialties] == ["dentistry", "surgery"]
    assert rows["unlocated"].specialties == []
