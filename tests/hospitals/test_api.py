"""/api/v1/hospitals/: search, filters, DRF pagination, languages; the API docs page."""

import re

import pytest

from tests import factories


@pytest.fixture
def tuen_mun(db):
    return factories.HospitalFactory(slug="tuen-mun", name_en="Tuen Mun Hospital", name_zh_hant="屯門醫院",
                                     name_zh_hans="屯门医院", speaks_cantonese=True)


@pytest.mark.parametrize(("params", "headers", "expected"), [
    ({"lang": "en"}, {}, "Tuen Mun Hospital"),
    ({"lang": "zh-hant"}, {}, "屯門醫院"),
    ({"lang": "zh-hans"}, {}, "屯门医院"),
    ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-HK"}, "屯門醫院"),
    ({}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, "屯门医院"),
])
def test_list_answers_in_the_requested_language(client, tuen_mun, params, headers, expected):
    response = client.get("/api/v1/hospitals/", {"search": "屯門", **params}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["results"][0]["name"] == expected


def test_list_filters_and_pagination(client, db):
    for index in range(25):
        factories.HospitalFactory(slug=f"h-{index}", name_en=f"Clinic {index}", is_voucher_point=index < 22)
    body = client.get("/api/v1/hospitals/", {"programme": "voucher"}).json()
    assert body["count"] == 22
    assert len(body["results"]) == 20
    assert "page=2" in body["next"]
    assert "voucher" in body["results"][0]["programmes"]
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 2
    assert second["next"] is None and "page=" not in second["previous"] and "programme=voucher" in second["previous"]


def test_list_search_is_cross_script(client, tuen_mun):
    body = client.get("/api/v1/hospitals/", {"search": "屯门", "lang": "en"}).json()
    assert [result["slug"] for result in body["results"]] == ["tuen-mun"]


def test_list_query_count_is_constant(client, client_for, resident, db, django_assert_num_queries):
    specialty = factories.SpecialtyFactory()
    factories.BorderPointFactory()
    factories.DepartmentFactory(hospital=factories.HospitalFactory(slug="h-first"), specialty=specialty)
    # The search options (cities, specialties, border points) until they are cached;
    # then the ranked page with its count, its hospitals with their city, their specialties.
    with django_assert_num_queries(3 + 3):
        client.get("/api/v1/hospitals/")
    for index in range(30):
        factories.DepartmentFactory(hospital=factories.HospitalFactory(slug=f"h-{index}"), specialty=specialty)
    with django_assert_num_queries(3):
        body = client.get("/api/v1/hospitals/", {"page": 2}).json()
    assert body["results"][0]["specialties"][0]["code"] == "general-practice"
    with django_assert_num_queries(3):
        client.get("/api/v1/hospitals/", {"border_point": "shenzhen-bay"})
    # The same answer again: from the cache, signed out or in (the user; the session is cached).
    with django_assert_num_queries(0):
        client.get("/api/v1/hospitals/", {"page": 2})
    signed_in = client_for(resident)
    signed_in.get("/api/v1/hospitals/nowhere/")  # the first request after signing in updates the session
    with django_assert_num_queries(1):
        assert signed_in.get("/api/v1/hospitals/", {"page": 2}).json() == body


def test_list_pages_past_the_end_or_not_numbers_are_not_found(client, tuen_mun):
    assert client.get("/api/v1/hospitals/", {"page": 2}).status_code == 404
    assert client.get("/api/v1/hospitals/", {"page": "two"}).status_code == 404
    body = client.get("/api/v1/hospitals/", {"page": 1}).json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)


def test_detail_in_chinese_with_nearest_border_points(client, tuen_mun):
    factories.BorderPointFactory()
    body = client.get("/api/v1/hospitals/tuen-mun/", {"lang": "zh-hant"}).json()
    assert body["name"] == "屯門醫院"
    assert body["nearest_border_points"][0]["name"] == "深圳灣口岸"


def test_detail_unknown_is_404(client, db):
    assert client.get("/api/v1/hospitals/nowhere/").status_code == 404


def test_schema_lists_the_endpoints(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/hospitals/" in response.content and b"/api/v1/medicines/" in response.content


def test_docs_page_renders_under_the_csp_with_local_assets_only(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html  # nothing inline for the CSP to block
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any(source.endswith("js/swagger-init.js") for source in sources)
    assert all(source.startswith("/static/") for source in sources), sources
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for source in sources:
        asset = client.get(source)
        asset.close()
        assert asset.status_code == 200, source


def test_json_and_browsable_answers_are_cached_apart(client, tuen_mun):
    assert client.get("/api/v1/hospitals/", HTTP_ACCEPT="application/json").json()["count"] == 1
    html = client.get("/api/v1/hospitals/", HTTP_ACCEPT="text/html")
    assert html["Content-Type"].startswith("text/html")
    assert client.get("/api/v1/hospitals/", HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"
