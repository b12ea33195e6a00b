"""Connect list pages and /api/v1/medicines/."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.medicines.models import ConnectItem
from portal.medicines.services import connect_item_save
from tests import factories
from tests.hospitals.factories import (
    ConnectItemFactory,
    ItemApprovalFactory,
    TherapeuticAreaFactory,
)


@pytest.fixture
def lorlatinib(db):
    item = ConnectItemFactory(slug="lorlatinib", generic_name_en="Lorlatinib", generic_name_zh_hant="勞拉替尼",
                              generic_name_zh_hans="劳拉", indication_en="ALK-positive lung cancer")
    return item


def slugs(response) -> list[str]:
    return re.findall(r'href="/en/medicines/([^/]+)/"', response.content.decode())


def test_search_page_cross_script_and_filters(client, lorlatinib):
    ConnectItemFactory(slug="stent", kind="device", generic_name_en="Coronary stent",
                       therapeutic_area=TherapeuticAreaFactory(code="cardiology", name_en="Cardiology"))
    assert slugs(client.get("/en/medicines/", {"q": "勞拉替尼"})) == ["lorlatinib"]
    assert slugs(client.get("/en/medicines/", {"kind": "device"})) == ["stent"]
    assert slugs(client.get("/en/medicines/", {"therapeutic_area": "oncology"})) == ["lorlatinib"]
    assert client.get("/en/medicines/", {"kind": "pill"}).status_code == 400


# A search that misses the page cache: the ranked page with its count, its items with
# their therapeutic area and number of institutions.
SEARCH_QUERIES = 2
AREA_QUERIES = 1  # the filter's therapeutic areas, when they are not cached
COVERAGE_QUERIES = 2  # the published totals and the portal's counts, when they are not cached
# A signed-in page also reads the user (with their profile and roles:
# portal.accounts.backends), and the layout the unread count; the session comes
# from the cache (SESSION_ENGINE cached_db).
SIGNED_IN_QUERIES = 2


def test_search_page_query_count_is_constant(client, db, django_assert_num_queries):
    for _ in range(3):
        ItemApprovalFactory()
    with django_assert_num_queries(AREA_QUERIES + COVERAGE_QUERIES + SEARCH_QUERIES):
        client.get("/en/medicines/")
    for _ in range(25):
        ItemApprovalFactory()
    cache.clear()
    with django_assert_num_queries(AREA_QUERIES + COVERAGE_QUERIES + SEARCH_QUERIES):
        response = client.get("/en/medicines/")
    assert len(slugs(response)) == 20
    for _ in range(30):
        ItemApprovalFactory()
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/en/medicines/", {"page": 2})
    assert len(slugs(response)) == 20 and "58 items found" in response.content.decode()
    with django_assert_num_queries(0):
        client.get("/en/medicines/", {"page": 2})


def test_signed_in_search_page_query_count_is_constant(client_for, resident, django_assert_num_queries):
    client = client_for(resident)
    client.get("/en/medicines/")  # the first request after signing in updates the session
    for _ in range(25):
        ItemApprovalFactory()
    cache.clear()
    # the cache was emptied: the session is read from the database once, then cached again
    with django_assert_num_queries(1 + SIGNED_IN_QUERIES + AREA_QUERIES + COVERAGE_QUERIES + SEARCH_QUERIES):
        client.get("/en/medicines/")
    for _ in range(30):
        ItemApprovalFactory()
    with django_assert_num_queries(SIGNED_IN_QUERIES + SEARCH_QUERIES):
        response = client.get("/en/medicines/", {"page": 2})
    assert len(slugs(response)) == 20
    # Again: the search (form and results) comes from the cache, the layout is the user's own.
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        response = client.get("/en/medicines/", {"page": 2})
    assert len(slugs(response)) == 20 and "Sign out" in response.content.decode()


def test_api_query_count_is_constant(client, db, django_assert_num_queries):
    ItemApprovalFactory()
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get("/api/v1/medicines/")
    for _ in range(30):
        ItemApprovalFactory()
    with django_assert_num_queries(SEARCH_QUERIES):
        body = client.get("/api/v1/medicines/", {"page": 2}).json()
    assert body["count"] == 31 and len(body["results"]) == 11 and body["results"][0]["institution_count"] == 1


def test_item_page_lists_institutions_with_booking_links(client, lorlatinib, hospital,
                                                         django_assert_max_num_queries):
    ItemApprovalFactory(item=lorlatinib, hospital=hospital)
    closed = factories.HospitalFactory(slug="closed", is_active=False)
    ItemApprovalFactory(item=lorlatinib, hospital=closed)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("medicines:detail", kwargs={"slug": "lorlatinib"}))
    html = response.content.decode()
    assert f"/en/appointments/?hospital={hospital.slug}" in html
    assert "?hospital=closed" not in html and "This institution has closed." in html


def test_item_page_of_unknown_item_is_404(client, db):
    assert client.get("/en/medicines/nothing/").status_code == 404


@pytest.mark.parametrize(("lang", "expected"), [("en", "Lorlatinib"), ("zh-hant", "勞拉替尼"), ("zh-hans", "劳拉")])
def test_api_in_three_languages(client, lorlatinib, lang, expected):
    body = client.get("/api/v1/medicines/", {"search": "lorlatinib", "lang": lang}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"][0]["generic_name"] == expected


def test_api_filters_and_detail(client, lorlatinib, hospital):
    ItemApprovalFactory(item=lorlatinib, hospital=hospital)
    ConnectItemFactory(slug="stent", kind="device")
    body = client.get("/api/v1/medicines/", {"kind": "drug"}).json()
    assert [item["slug"] for item in body["results"]] == ["lorlatinib"]
    assert body["results"][0]["institution_count"] == 1
    detail = client.get("/api/v1/medicines/lorlatinib/", HTTP_ACCEPT_LANGUAGE="zh-HK").json()
    assert detail["generic_name"] == "勞拉替尼"
    assert detail["institutions"][0]["slug"] == hospital.slug


def test_cached_pages_are_replaced_after_a_change(client, lorlatinib, django_capture_on_commit_callbacks):
    assert slugs(client.get("/en/medicines/", {"q": "lorlatinib"})) == ["lorlatinib"]
    assert "Lorlatinib" in client.get("/en/medicines/lorlatinib/").content.decode()
    lorlatinib.generic_name_en = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        connect_item_save(actor=None, item=lorlatinib)
    assert slugs(client.get("/en/medicines/", {"q": "lorlatinib"})) == []
    assert "Renamed" in client.get("/en/medicines/lorlatinib/").content.decode()
    assert client.get("/api/v1/medicines/", {"search": "lorlatinib"}).json()["count"] == 0
    assert ConnectItem.objects.get().search_key.startswith("| renamed")
