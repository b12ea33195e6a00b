"""The hospital search's "Macao medical vouchers" programme: a hospital takes part
when a listed place confirmed to take Macao's medical vouchers points to it
(MacaoVoucherPlace.objects.accepting()), on the page, in the API and on the hospital page."""

from datetime import date

import pytest
from django.utils import translation

from portal.hospitals.selectors import HospitalFilters, hospital_detail, hospital_search
from portal.vouchers.models import MacaoVoucherPlace
from tests import factories

pytestmark = pytest.mark.django_db

Vouchers = MacaoVoucherPlace.Vouchers


def place(slug: str, hospital, vouchers=Vouchers.ACCEPTED, **fields) -> MacaoVoucherPlace:
    return MacaoVoucherPlace.objects.create(
        slug=slug, name_en=slug, name_zh_hant=slug, name_zh_hans=slug, area_en="Hengqin", area_zh_hant="橫琴",
        area_zh_hans="横琴", vouchers=vouchers, hospital=hospital, source_en="Test", source_zh_hant="測試",
        source_zh_hans="测试", as_of=date(2026, 11, 1), **fields)


@pytest.fixture
def clinics():
    taking = factories.HospitalFactory(slug="taking", name_en="Hengqin Macao Clinic")
    unconfirmed = factories.HospitalFactory(slug="unconfirmed", name_en="Unconfirmed Clinic")
    refusing = factories.HospitalFactory(slug="refusing", name_en="Refusing Clinic")
    unlisted = factories.HospitalFactory(slug="unlisted", name_en="Unlisted Clinic")
    factories.HospitalFactory(slug="no-place", name_en="Ordinary Hospital")
    place("taking-1", taking)
    place("taking-2", taking)  # two places for one hospital: still one result
    place("unconfirmed", unconfirmed, Vouchers.UNCONFIRMED)
    place("refusing", refusing, Vouchers.NOT_ACCEPTED)
    place("unlisted", unlisted, is_active=False)
    return taking


def slugs(**filters) -> list[str]:
    return [hospital.slug for hospital in hospital_search(HospitalFilters(**filters)).rows]


def test_only_hospitals_of_listed_accepting_places_take_part(clinics):
    assert slugs(programme="macao-voucher") == ["taking"]
    assert {hospital.slug: hospital.programmes for hospital in hospital_search(HospitalFilters()).rows} == {
        "taking": ["macao-voucher"], "unconfirmed": [], "refusing": [], "unlisted": [], "no-place": []}


def test_the_search_reads_the_programme_in_its_own_queries(clinics, django_assert_num_queries):
    # the three option lists, the ranked page, its hospitals, their departments: none per hospital
    with django_assert_num_queries(6):
        page = hospital_search(HospitalFilters())
        assert [hospital.programmes for hospital in page.rows].count(["macao-voucher"]) == 1


def test_a_hospital_read_elsewhere_asks_the_same_rule(clinics):
    assert type(clinics).objects.get(slug="taking").takes_macao_vouchers is True
    assert type(clinics).objects.get(slug="unconfirmed").takes_macao_vouchers is False


def test_the_api_filters_and_names_the_programme(clinics, client):
    body = client.get("/api/v1/hospitals/", {"programme": "macao-voucher"}).json()
    assert [row["slug"] for row in body["results"]] == ["taking"]
    assert body["results"][0]["programmes"] == ["macao-voucher"]
    assert client.get("/api/v1/hospitals/taking/").json()["programmes"] == ["macao-voucher"]


@pytest.mark.parametrize(("lang", "programme", "notice"), [
    ("en", "Macao medical vouchers", "only a few of them are listed here as hospitals"),
    ("zh-hant", "澳門醫療券", "這裏只列出其中少數作為醫院"),
    ("zh-hans", "澳门医疗券", "这里只列出其中少数作为医院"),
])
def test_the_search_page_offers_the_programme_and_points_to_every_place(clinics, client, lang, programme, notice):
    html = client.get(f"/{lang}/hospitals/").content.decode()
    assert f'<option value="macao-voucher">{programme}</option>' in html
    assert notice not in html
    html = client.get(f"/{lang}/hospitals/", {"programme": "macao-voucher"}).content.decode()
    assert notice in html and f'href="/{lang}/vouchers/macao/"' in html
    assert f'href="/{lang}/hospitals/taking/"' in html and f'href="/{lang}/hospitals/no-place/"' not in html


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Takes Macao medical vouchers"), ("zh-hant", "接受澳門醫療券"), ("zh-hans", "接受澳门医疗券")])
def test_the_hospital_page_says_so(clinics, client, lang, line):
    assert line in client.get(f"/{lang}/hospitals/taking/").content.decode()
    other = client.get(f"/{lang}/hospitals/unconfirmed/").content.decode()
    assert line not in other
    with translation.override(lang):
        assert translation.gettext("No programme recorded.") in other


def test_the_hospital_detail_reads_it_in_its_own_query(clinics, django_assert_num_queries):
    with django_assert_num_queries(4):
        hospital, _nearby = hospital_detail("taking")
        assert hospital.programmes == ["macao-voucher"]


def test_a_change_in_the_admin_retires_cached_searches(clinics, superuser, client_for, client,
                                                       django_capture_on_commit_callbacks):
    assert "Hengqin Macao Clinic" in client.get("/en/hospitals/", {"programme": "macao-voucher"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post("/en/admin/vouchers/macaovoucherplace/", {
            "action": "delete_selected", "_selected_action": list(clinics.macao_voucher_places.values_list("pk", flat=True)),
            "post": "yes"})
    assert response.status_code == 302
    html = client.get("/en/hospitals/", {"programme": "macao-voucher"}).content.decode()
    assert "Hengqin Macao Clinic" not in html and "0 hospitals found" in html
