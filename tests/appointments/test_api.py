from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.appointments.models import Appointment
from portal.core.models import IdempotencyKey
from tests import factories


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def book_payload(slot, **extra):
    return {"slot": slot.pk, "reason": "Check-up", "id_document": "travel_permit", **extra}


def test_anonymous_refused(slot):
    assert api().get("/api/v1/appointments/").status_code in (401, 403)
    assert api().post("/api/v1/appointments/", book_payload(slot), format="json").status_code in (401, 403)


def test_book_list_detail(booker, slot):
    response = api(booker).post("/api/v1/appointments/", book_payload(slot, pay_with_vouchers=True), format="json")
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert response.json()["pay_with_vouchers"] is True and response.json()["booked_on_behalf"] is False
    listing = api(booker).get("/api/v1/appointments/").json()
    assert [row["reference"] for row in listing["results"]] == [reference]
    assert api(booker).get(f"/api/v1/appointments/{reference}/").json()["status"] == "booked"


def test_list_shows_only_own(book, booker, slot, stranger):
    book(slot)
    assert api(stranger).get("/api/v1/appointments/").json()["results"] == []


@pytest.mark.parametrize("who", ["stranger", "hospital_admin", "other_hospital_admin", "centre_staff"])
def test_others_get_404(request, book, slot, make_slot, who):
    appointment = book(slot)
    client = api(request.getfixturevalue(who))
    base = f"/api/v1/appointments/{appointment.reference}/"
    assert client.get(base).status_code == 404
    assert client.post(base + "cancel/").status_code == 404
    assert client.post(base + "reschedule/", {"slot": make_slot().pk}, format="json").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked" and appointment.slot == slot


def test_taken_answer_has_code_and_alternatives(book, booker, make_slot, new_resident):
    full = make_slot(capacity=1)
    other = make_slot(capacity=2, starts_at=full.starts_at + timedelta(minutes=30))
    book(full, resident=new_resident())
    response = api(booker).post("/api/v1/appointments/", book_payload(full), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_taken" and "just taken" in body["detail"]
    assert [slot["id"] for slot in body["alternatives"]] == [other.pk]


def test_validation_errors(booker, slot):
    response = api(booker).post("/api/v1/appointments/", {"slot": slot.pk}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(booker).post("/api/v1/appointments/", book_payload(slot, id_document="hkid"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "document_missing"
    assert not Appointment.objects.exists()


def test_idempotency_key_replays_the_stored_answer(booker, slot):
    client = api(booker)
    first = client.post("/api/v1/appointments/", book_payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    second = client.post("/api/v1/appointments/", book_payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1
    reused = client.post("/api/v1/appointments/", book_payload(slot, reason="other"), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert reused.status_code == 422
    # keys are per user
    assert IdempotencyKey.objects.filter(user=booker, key="abc-1").count() == 1


def test_cancel_and_reschedule(book, booker, make_slot):
    appointment = book(make_slot())
    target = make_slot()
    client = api(booker)
    base = f"/api/v1/appointments/{appointment.reference}/"
    first = client.post(base + "reschedule/", {"slot": target.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(base + "reschedule/", {"slot": target.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert first.json()["slot_id"] == target.pk
    assert appointment.events.filter(action="rescheduled").count() == 1
    response = client.post(base + "cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    response = client.post(base + "cancel/")
    assert response.status_code == 409 and response.json()["code"] == "not_active"


def test_cutoff_error(book, booker, make_slot):
    appointment = book(make_slot(starts_at=timezone.now() + timedelta(hours=2)))
    response = api(booker).post(f"/api/v1/appointments/{appointment.reference}/cancel/")
    assert response.status_code == 409 and response.json()["code"] == "cutoff_passed"


def test_free_slots(book, booker, make_slot, hospital, department, new_resident):
    free = make_slot(capacity=1)
    full = make_slot(capacity=1)
    make_slot(capacity=1, is_blocked=True)
    make_slot(capacity=1, starts_at=timezone.now() - timedelta(hours=1))
    book(full, resident=new_resident())
    response = api(booker).get(f"/api/v1/hospitals/{hospital.pk}/slots/")
    assert [row["id"] for row in response.json()] == [free.pk]
    day = timezone.localtime(free.starts_at).date().isoformat()
    assert [r["id"] for r in api(booker).get(f"/api/v1/hospitals/{hospital.pk}/slots/?department={department.pk}&date={day}").json()] == [free.pk]
    assert api(booker).get(f"/api/v1/hospitals/{hospital.pk}/slots/?date=tomorrow").status_code == 400
    assert api(booker).get("/api/v1/hospitals/999999/slots/").status_code == 404


def test_list_query_count(book, booker, make_slot, django_assert_max_num_queries):
    for _ in range(5):
        book(make_slot())
    with django_assert_max_num_queries(4):
        api(booker).get("/api/v1/appointments/")


def test_on_behalf_booking_shows_in_resident_api(book, booker, slot, centre, centre_staff):
    factories.give_consent(booker, centre)
    book(slot, actor=centre_staff)
    assert api(booker).get("/api/v1/appointments/").json()["results"][0]["booked_on_behalf"] is True


def test_idempotent_error_answer_is_replayed(book, booker, make_slot, new_resident):
    full = make_slot(capacity=1)
    book(full, resident=new_resident())
    client = api(booker)
    first = client.post("/api/v1/appointments/", book_payload(full), format="json", HTTP_IDEMPOTENCY_KEY="k-taken")
    assert first.status_code == 409
    # the place frees, but the same key still returns the stored answer: no second action
    Appointment.objects.filter(slot=full).update(status="cancelled", cancelled_at=timezone.now())
    again = client.post("/api/v1/appointments/", book_payload(full), format="json", HTTP_IDEMPOTENCY_KEY="k-taken")
    assert again.status_code == 409 and again.json() == first.json()
    assert not Appointment.objects.filter(resident=booker).exists()


def test_free_slots_query_count(booker, make_slot, hospital, django_assert_max_num_queries):
    for _ in range(10):
        make_slot()
    with django_assert_max_num_queries(3):
        response = api(booker).get(f"/api/v1/hospitals/{hospital.pk}/slots/")
    assert len(response.json()) == 10


def test_a_booking_request_costs_a_fixed_number_of_queries(booker, make_slot, django_assert_num_queries):
    client, first, second = api(booker), make_slot(), make_slot()
    # the booking's twelve (see test_services), nothing more to answer
    with django_assert_num_queries(12):
        assert client.post("/api/v1/appointments/", book_payload(first), format="json").status_code == 201
    # with an Idempotency-Key: its row written first and the answer stored, in
    # a transaction of their own (a savepoint inside the test's: two more)
    with django_assert_num_queries(16):
        response = client.post("/api/v1/appointments/", book_payload(second), format="json",
                               HTTP_IDEMPOTENCY_KEY="count-1")
    assert response.status_code == 201
