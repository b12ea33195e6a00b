"""Hospital admins see and edit only their own hospitals; admin saves refresh search."""

import pytest

from portal.hospitals.models import Hospital

CHANGE = "/en/admin/hospitals/hospital/{}/change/"


def form_data(hospital, **changes):
    data = {
        "slug": hospital.slug, "name_en": hospital.name_en, "name_zh_hant": hospital.name_zh_hant,
        "name_zh_hans": hospital.name_zh_hans, "city": hospital.city_id, "speaks_putonghua": "on",
        "ambulance_role": "", "is_active": "on", "voucher_since_precision": "day",
        "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
        "departments-MIN_NUM_FORMS": "0", "departments-MAX_NUM_FORMS": "1000",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_hospital_admin_lists_only_their_hospital(hospital, other_hospital, hospital_admin, client_for):
    response = client_for(hospital_admin).get("/en/admin/hospitals/hospital/")
    assert response.status_code == 200
    html = response.content.decode()
    assert hospital.name in html and other_hospital.name not in html


def test_hospital_admin_cannot_open_another_hospital(hospital, other_hospital, hospital_admin, client_for):
    client = client_for(hospital_admin)
    assert client.get(CHANGE.format(hospital.pk)).status_code == 200
    response = client.get(CHANGE.format(other_hospital.pk))
    assert response.status_code in (302, 403, 404)
    response = client.post(CHANGE.format(other_hospital.pk), form_data(other_hospital, name_en="Hijacked"))
    assert response.status_code in (302, 403, 404)
    other_hospital.refresh_from_db()
    assert other_hospital.name_en == "Tuen Mun Hospital"


def test_other_hospital_admin_cannot_open_this_one(hospital, other_hospital_admin, client_for):
    assert client_for(other_hospital_admin).get(CHANGE.format(hospital.pk)).status_code in (302, 403, 404)


def test_resident_has_no_admin(hospital, resident, client_for):
    assert client_for(resident).get(CHANGE.format(hospital.pk)).status_code == 302


def test_hospital_admin_edits_translated_fields_and_search_sees_it(
        hospital, hospital_admin, client_for, client, django_capture_on_commit_callbacks):
    search = {"q": "港大深院"}
    assert "0 hospitals found" in client.get("/en/hospitals/", search).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hospital_admin).post(
            CHANGE.format(hospital.pk), form_data(hospital, short_name_zh_hant="港大深院"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Hospital.objects.get(pk=hospital.pk).short_name_zh_hant == "港大深院"
    assert "1 hospital found" in client.get("/en/hospitals/", search).content.decode()
    assert client.get("/api/v1/hospitals/", {"search": "港大深院"}).json()["count"] == 1


def test_superuser_sees_every_hospital(hospital, other_hospital, superuser, client_for):
    html = client_for(superuser).get("/en/admin/hospitals/hospital/").content.decode()
    assert hospital.name in html and other_hospital.name in html


@pytest.mark.parametrize("url", ["/en/admin/hospitals/hospital/add/"])
def test_hospital_admin_cannot_add_hospitals(hospital_admin, client_for, url):
    assert client_for(hospital_admin).get(url).status_code == 403


def test_deleting_through_the_admin_retires_cached_pages_and_options(
        superuser, client_for, client, django_capture_on_commit_callbacks):
    from tests import factories

    point = factories.BorderPointFactory(code="lok-ma-chau", name_en="Lok Ma Chau")
    assert "Lok Ma Chau" in client.get("/en/hospitals/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post("/en/admin/hospitals/borderpoint/", {
            "action": "delete_selected", "_selected_action": [point.pk], "post": "yes"})
    assert response.status_code == 302
    assert "Lok Ma Chau" not in client.get("/en/hospitals/").content.decode()


def test_the_admin_search_finds_names_in_either_script(hospital, other_hospital, superuser, client_for):
    client = client_for(superuser)
    html = client.get("/en/admin/hospitals/hospital/", {"q": "香港大學"}).content.decode()  # stored in both scripts
    assert hospital.name in html and other_hospital.name not in html
    html = client.get("/en/admin/hospitals/hospital/", {"q": "hospital tuen"}).content.decode()  # every word, any order
    assert other_hospital.name in html and hospital.name not in html
    found = client.get("/en/admin/autocomplete/", {"app_label": "medicines", "model_name": "itemapproval",
                                                   "field_name": "hospital", "term": "屯門"}).json()
    assert [result["text"] for result in found["results"]] == [other_hospital.name]


def test_an_autocomplete_field_sent_back_with_text_shows_the_error(client_for, superuser):
    """Django's autocomplete widget looked the submitted text up as an id to show
    it again: a server error (found by tests/core/test_hostile_input.py)."""
    response = client_for(superuser).post("/en/admin/hospitals/hospitalmembership/add/",
                                          {"user": "😷", "hospital": "not a number"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
