"""Search finds hospitals and Connect items by the other names people use (issue 18):
aliases are data (HospitalAlias, ConnectItemAlias), folded into the one search key,
so the page and the API find them alike, on PostgreSQL and SQLite."""

import pytest

from portal.hospitals.models import Hospital, HospitalAlias
from portal.medicines.models import ConnectItem, ConnectItemAlias
from tests.hospitals.factories import ConnectItemFactory, TherapeuticAreaFactory

HKU_SZH_ALIASES = ["港大深圳", "港大深圳醫院", "港大深圳医院", "HKU-SZH", "HKU-Shenzhen"]


@pytest.fixture
def hku_szh(hospital, other_hospital):
    for name in HKU_SZH_ALIASES:
        HospitalAlias.objects.create(hospital=hospital, name=name)
    return hospital


@pytest.fixture
def inclisiran(db):
    area = TherapeuticAreaFactory(code="cardiology", name_en="Cardiology", name_zh_hant="心臟科",
                                  name_zh_hans="心血管科")
    item = ConnectItemFactory(slug="inclisiran", generic_name_en="Inclisiran", generic_name_zh_hant="英克司蘭",
                              generic_name_zh_hans="英克司兰", therapeutic_area=area)
    ConnectItemFactory(slug="other", generic_name_en="Entrectinib", therapeutic_area=area)
    ConnectItemAlias.objects.create(item=item, name="Leqvio")
    return item


def test_without_the_alias_the_short_name_finds_nothing(hospital, other_hospital, client):
    """The control: 港大深圳 is not part of 香港大學深圳醫院 (大深 is no pair of it)."""
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 0


@pytest.mark.parametrize("query", HKU_SZH_ALIASES)
def test_each_alias_finds_the_hospital_on_the_page(hku_szh, client, query):
    html = client.get("/en/hospitals/", {"q": query}).content.decode()
    assert "1 hospital found" in html
    assert "The University of Hong Kong-Shenzhen Hospital" in html
    assert "Tuen Mun Hospital" not in html


@pytest.mark.parametrize("query", HKU_SZH_ALIASES)
def test_each_alias_finds_the_hospital_in_the_api(hku_szh, client, query):
    body = client.get("/api/v1/hospitals/", {"search": query}).json()
    assert [row["slug"] for row in body["results"]] == ["hku-szh"]


def test_an_alias_ranks_as_an_exact_name(hku_szh, client):
    assert "| hku szh |" in Hospital.objects.get(pk=hku_szh.pk).search_key


@pytest.mark.parametrize("query", ["Leqvio", "leqvio", "LEQV", "inclisiran", "英克司蘭", "英克司兰"])
def test_brand_and_generic_names_find_the_item_on_the_page_and_in_the_api(inclisiran, client, query):
    html = client.get("/en/medicines/", {"q": query}).content.decode()
    assert "Inclisiran" in html and "Entrectinib" not in html
    body = client.get("/api/v1/medicines/", {"search": query}).json()
    assert [row["slug"] for row in body["results"]] == ["inclisiran"]


def test_removing_an_alias_removes_it_from_search(inclisiran, client):
    ConnectItemAlias.objects.get(name="Leqvio").delete()
    assert "leqvio" not in ConnectItem.objects.get(pk=inclisiran.pk).search_key
    assert client.get("/api/v1/medicines/", {"search": "Leqvio"}).json()["count"] == 0


ALIAS_FORMSET = {"aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000"}


def test_hospital_admin_adds_an_alias_and_cached_pages_follow(
        hospital, other_hospital, hospital_admin, client_for, client, django_capture_on_commit_callbacks):
    from tests.hospitals.test_admin import CHANGE, form_data

    assert "0 hospitals found" in client.get("/en/hospitals/", {"q": "港大深圳"}).content.decode()  # now cached
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 0  # cached too
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hospital_admin).post(CHANGE.format(hospital.pk), form_data(
            hospital, **{**ALIAS_FORMSET, "aliases-TOTAL_FORMS": "1", "aliases-0-name": "港大深圳"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "1 hospital found" in client.get("/en/hospitals/", {"q": "港大深圳"}).content.decode()
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 1


def test_hospital_admin_cannot_add_an_alias_to_another_hospital(
        hospital, other_hospital, hospital_admin, client_for, client):
    from tests.hospitals.test_admin import CHANGE, form_data

    response = client_for(hospital_admin).post(CHANGE.format(other_hospital.pk), form_data(
        other_hospital, **{**ALIAS_FORMSET, "aliases-TOTAL_FORMS": "1", "aliases-0-name": "TMH"}))
    assert response.status_code in (302, 403, 404)
    assert not HospitalAlias.objects.filter(hospital=other_hospital).exists()
    assert client.get("/api/v1/hospitals/", {"search": "TMH"}).json()["count"] == 0


def test_the_demo_data_carries_the_aliases_of_the_issue(db, client):
    from portal.hospitals import demo as hospitals_demo
    from portal.medicines import demo as medicines_demo

    hospitals_demo.load()
    medicines_demo.load()
    for query in HKU_SZH_ALIASES:  # first: its clinics' names may match too, ranked after it
        assert client.get("/api/v1/hospitals/", {"search": query}).json()["results"][0]["slug"] == "hku-szh", query
    assert [row["slug"] for row in client.get("/api/v1/medicines/", {"search": "Leqvio"}).json()["results"]] \
        == ["inclisiran"]


def test_an_alias_written_outside_the_admin_retires_cached_answers(
        hospital, other_hospital, client, django_capture_on_commit_callbacks):
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 0  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        alias = HospitalAlias.objects.create(hospital=hospital, name="港大深圳")
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        alias.delete()
    assert client.get("/api/v1/hospitals/", {"search": "港大深圳"}).json()["count"] == 0
