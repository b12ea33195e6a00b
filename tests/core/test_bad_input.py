"""Issue 15, "bad input gives 500s": a NUL byte in ?city=, ?specialty=,
?border_point=, ?therapeutic_area= and in appointment references (PostgreSQL
refuses NUL in text), deeply nested JSON (RecursionError), and a 200 MB upload
read whole before it was refused. Now refused at the door for every view
(portal.core.bad_input): 400 with a translated page (JSON under /api/), 413 for
a body over the limit before a byte of it is read. tests/core/test_hostile_input.py
walks every URL with the whole corpus."""

import json

import pytest
from django.urls import reverse

from portal.accounts.models import Profile
from portal.transfers.models import TransferRequest

pytestmark = pytest.mark.django_db

REFUSED = {"en": "characters that are not allowed", "zh-hant": "不允許的字元", "zh-hans": "不允许的字符"}


@pytest.fixture
def reference(resident, hospital):
    from portal.appointments import services
    from tests.appointments.factories import SlotFactory
    from tests.factories import DepartmentFactory

    profile = resident.profile
    profile.travel_permit_number = "H55556666"
    profile.save()
    slot = SlotFactory(department=DepartmentFactory(hospital=hospital))
    return services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="Check-up",
                                     id_document="travel_permit").reference


def _urls(reference):
    return {
        "anonymous": ["/en/hospitals/?city=shen%00zhen", "/en/hospitals/?specialty=%00",
                      "/en/hospitals/?border_point=shenzhen-bay%00", "/en/medicines/?therapeutic_area=%00onc",
                      "/api/v1/hospitals/?city=%00", "/api/v1/medicines/?therapeutic_area=%00"],
        "resident": [f"/en/appointments/{reference}%00/", f"/en/appointments/{reference}%00/calendar.ics",
                     f"/en/appointments/{reference}%00/reschedule/", f"/api/v1/appointments/{reference}%00/",
                     "/en/appointments/book/slot/1/?date=2026-01-01%00"],
    }


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_a_nul_byte_in_an_address_is_refused_not_a_server_error(client_for, resident, reference, who):
    client = client_for(resident if who == "resident" else None)
    for url in _urls(reference)[who]:
        response = client.get(url)
        assert response.status_code == 400, url
        if url.startswith("/api/"):
            assert response.json()["code"] == "control_characters"
            assert REFUSED["en"] in response.json()["detail"]
        else:
            assert REFUSED["en"] in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_the_refusal_is_in_the_pages_language(client, language):
    response = client.get(f"/{language}/hospitals/?city=%01")
    assert response.status_code == 400
    assert REFUSED[language] in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


def test_a_control_character_in_a_form_field_is_refused_and_nothing_is_saved(client_for, resident):
    response = client_for(resident).post(reverse("accounts:profile_edit"), {"name_en": "NGAI\x00 Wing"})
    assert response.status_code == 400
    assert not Profile.objects.filter(name_en__contains="NGAI").exists()


def test_line_breaks_in_a_text_area_are_fine(client_for, resident):
    response = client_for(resident).post(reverse("accounts:profile_edit"), {"name_en": "CHAN\r\nTai Man"})
    assert response.status_code != 400 or REFUSED["en"] not in response.content.decode()


@pytest.mark.parametrize("text", ["Stable\x00 after stroke", "Stable \ud800 after stroke", "\x1b[31m"])
def test_control_characters_and_lone_surrogates_in_json_are_refused(client_for, resident, route_for_api, text):
    body = json.dumps({"route": route_for_api.pk, "patient_kind": "self", "clinical_summary": text,
                       "preferred_date": "2030-01-01", "consent_to_share": True})
    response = client_for(resident).post("/api/v1/transfers/", body, content_type="application/json")
    assert response.status_code == 400
    assert REFUSED["en"] in response.json()["detail"]
    assert not TransferRequest.objects.exists()


@pytest.mark.parametrize("depth", [21, 100, 100_000])
def test_deeply_nested_json_is_refused(client_for, resident, depth):
    body = "[" * depth + "]" * depth
    response = client_for(resident).post("/api/v1/transfers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_json_nested_within_the_limit_is_read(client_for, resident):
    body = json.dumps({"escorts": [{"name": "x"}]})
    response = client_for(resident).post("/api/v1/transfers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "route" in response.json()  # the serializer's field errors, so the body was parsed


@pytest.mark.parametrize(("url", "content_type"), [
    ("/en/transfers/new/", "multipart/form-data; boundary=xyz"),
    ("/api/v1/transfers/", "application/json"),
    ("/en/accounts/profile/edit/", "application/x-www-form-urlencoded"),
])
def test_a_body_over_the_limit_is_refused_before_it_is_read(client_for, resident, url, content_type):
    """The test client's body is empty: reading a byte of the announced 200 MB
    would fail the request, so a 413 proves nothing was read."""
    response = client_for(resident).generic("POST", url, b"", content_type=content_type,
                                            CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413


@pytest.fixture
def route_for_api(hospital, other_hospital):
    from portal.transfers.models import Route
    from tests.factories import BorderPointFactory

    return Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital,
                                border_point=BorderPointFactory(), direction="southbound")


def test_a_body_django_cannot_read_gets_the_page_too(client):
    """Too many fields: Django refuses it before any view (a SuspiciousOperation)."""
    fields = {f"field{n}": "x" for n in range(1001)}
    page = client.post("/zh-hant/accounts/login/", fields)
    assert page.status_code == 400
    assert "我們無法接受這個請求" in page.content.decode()
    api = client.post("/api/v1/transfers/", fields)
    assert api.status_code == 400 and "Nothing was saved" in api.json()["detail"]
