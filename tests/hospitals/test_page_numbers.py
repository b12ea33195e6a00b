"""A page number past the end, however large, never gives a server error
(page=19578226525576458403840 once overflowed PostgreSQL's bigint offset): a page
shows the last page, the API answers 404 "Invalid page." in the asker's language."""

import pytest

from tests import factories
from tests.hospitals.factories import ConnectItemFactory

HUGE = "19578226525576458403840"


@pytest.fixture
def listed(db):
    factories.HospitalFactory(slug="tuen-mun", name_en="Tuen Mun Hospital")
    ConnectItemFactory(slug="inclisiran", generic_name_en="Inclisiran")


@pytest.mark.parametrize(("url", "shown"), [("/en/hospitals/", "Tuen Mun Hospital"), ("/en/medicines/", "Inclisiran")])
def test_a_huge_page_number_on_a_page_shows_the_last_page(client, listed, url, shown):
    response = client.get(url, {"page": HUGE})
    assert response.status_code == 200
    assert shown in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/hospitals/", "/api/v1/medicines/"])
@pytest.mark.parametrize(("lang", "message"), [("en", "Invalid page."), ("zh-hant", "無效的頁面。"), ("zh-hans", "无效页面。")])
def test_a_huge_page_number_in_the_api_is_not_found_in_the_askers_language(client, listed, url, lang, message):
    response = client.get(url, {"page": HUGE, "lang": lang})
    assert response.status_code == 404
    assert response.json()["detail"] == message
