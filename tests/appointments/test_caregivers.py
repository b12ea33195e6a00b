"""Caregivers manage an elder's appointments through the same pages, API and
services, as far as the elder allows (portal.care's one rule)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.appointments import services
from portal.appointments.models import Appointment
from portal.care import services as care_services
from portal.centres.models import AccessLogEntry
from tests import factories
from tests.appointments.test_api import api, book_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_link(booker):
    return factories.make_caregiver(booker, email="daughter@example.com", language="en")


@pytest.fixture
def caregiver(care_link):
    return care_link.caregiver


def test_the_service_records_the_caregiver_and_the_relationship(book, booker, caregiver, care_link, slot):
    appointment = book(slot, actor=caregiver)
    assert (appointment.resident, appointment.booked_by, appointment.booked_via) == (booker, caregiver, care_link)
    event = appointment.events.get()
    assert (event.actor, event.on_behalf, event.care_link) == (caregiver, True, care_link)
    services.appointment_cancel(actor=caregiver, resident=booker, reference=appointment.reference)
    assert appointment.events.get(action="cancelled").care_link == care_link


def test_without_the_right_or_after_revocation_the_service_refuses(book, booker, care_link, slot, other_resident):
    with pytest.raises(services.NotPermitted):
        book(slot, actor=other_resident)
    care_services.care_link_revoke(actor=booker, link_id=care_link.pk)
    with pytest.raises(services.NotPermitted):
        book(slot, actor=care_link.caregiver)
    assert not Appointment.objects.exists()


def test_a_caregiver_books_through_the_pages_and_the_elder_sees_who(client_for, booker, caregiver, care_link, slot):
    client = client_for(caregiver)
    page = client.get(reverse("appointments:for_index", args=[booker.pk])).content.decode()
    assert f"You are acting for {booker.display_name}, as their caregiver." in page
    response = client.post(reverse("appointments:for_book_slot", args=[booker.pk, slot.pk]),
                           {"reason": "Blood pressure", "id_document": "travel_permit"})
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse("appointments:for_detail", args=[booker.pk, appointment.reference])
    assert appointment.booked_via == care_link
    elder_page = client_for(booker).get(reverse("appointments:detail", args=[appointment.reference])).content.decode()
    assert f"Booked by your daughter {caregiver.display_name}" in elder_page
    assert f"by your daughter {caregiver.display_name}" in elder_page  # the history
    own = client.get(reverse("appointments:for_detail", args=[booker.pk, appointment.reference])).content.decode()
    assert "Booked by you, as caregiver" in own


def test_each_read_goes_into_the_elders_access_log_and_writes_do_not(client_for, booker, caregiver, care_link, slot):
    client = client_for(caregiver)
    client.get(reverse("appointments:for_index", args=[booker.pk]))
    client.post(reverse("appointments:for_book_slot", args=[booker.pk, slot.pk]),
                {"reason": "Blood pressure", "id_document": "travel_permit"})
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.resident, entry.care_link, entry.centre, entry.what) == (
        caregiver, booker, care_link, None, "appointments")
    log = client_for(booker).get(reverse("centres:access_log")).content.decode()
    assert caregiver.display_name in log and "your daughter (caregiver)" in log


def test_after_revocation_the_next_request_is_refused_with_a_clear_message(client_for, booker, caregiver, care_link,
                                                                           slot):
    client = client_for(caregiver)
    assert client.get(reverse("appointments:for_book_slot", args=[booker.pk, slot.pk])).status_code == 200
    care_services.care_link_revoke(actor=booker, link_id=care_link.pk)
    response = client.post(reverse("appointments:for_book_slot", args=[booker.pk, slot.pk]),
                           {"reason": "Blood pressure", "id_document": "travel_permit"})
    assert response.status_code == 403
    assert (f"{booker.display_name} has not given you permission to manage their appointments, or it has ended."
            in response.content.decode())
    assert not Appointment.objects.exists()


def test_a_caregiver_with_other_rights_only_is_told_and_a_stranger_sees_nothing(client_for, booker, other_resident,
                                                                                  slot):
    link = factories.make_caregiver(booker, rights=("vouchers",), email="son@example.com")
    assert client_for(link.caregiver).get(reverse("appointments:for_index", args=[booker.pk])).status_code == 403
    assert client_for(other_resident).get(reverse("appointments:for_index", args=[booker.pk])).status_code == 404


def test_a_caregiver_of_someone_else_gets_nothing(client_for, booker, stranger, slot):
    link = factories.make_caregiver(stranger, email="other-daughter@example.com")
    assert client_for(link.caregiver).get(reverse("appointments:for_index", args=[booker.pk])).status_code == 404


# --- API --------------------------------------------------------------------------------


def test_the_api_books_for_the_resident_named(booker, caregiver, care_link, slot):
    response = api(caregiver).post("/api/v1/appointments/", book_payload(slot, resident=booker.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["acting_for"] == {"id": booker.pk, "name": booker.display_name, "role": "caregiver"}
    assert body["booked_on_behalf"] is True
    appointment = Appointment.objects.get()
    assert (appointment.resident, appointment.booked_via) == (booker, care_link)
    listed = api(caregiver).get(f"/api/v1/appointments/?resident={booker.pk}").json()["results"]
    assert [row["reference"] for row in listed] == [appointment.reference]
    assert api(caregiver).get("/api/v1/appointments/").json()["results"] == []  # their own: none
    cancelled = api(caregiver).post(f"/api/v1/appointments/{appointment.reference}/cancel/",
                                    {"resident": booker.pk}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert AccessLogEntry.objects.filter(actor=caregiver, what="appointments").count() == 1  # the one read


def test_the_api_refuses_without_the_right_with_a_message_and_strangers_with_404(booker, care_link, slot,
                                                                                 other_resident):
    care_services.care_link_change(actor=booker, link_id=care_link.pk, rights=["vouchers"])
    response = api(care_link.caregiver).post("/api/v1/appointments/", book_payload(slot, resident=booker.pk),
                                             format="json")
    assert response.status_code == 403
    assert "has not given you permission to manage their appointments" in response.json()["detail"]
    assert api(other_resident).post("/api/v1/appointments/", book_payload(slot, resident=booker.pk),
                                    format="json").status_code == 404
    assert api(other_resident).get(f"/api/v1/appointments/?resident={booker.pk}").status_code == 404
    assert not Appointment.objects.exists()


def test_the_waiting_list_api_for_an_elder(booker, caregiver, department, make_slot):
    day = timezone.localdate() + timedelta(days=2)
    response = api(caregiver).post("/api/v1/waitlist/", {"department": department.pk, "date": day.isoformat(),
                                                         "resident": booker.pk}, format="json")
    assert response.status_code == 201, response.content
    entry = booker.waitlist_entries.get()
    assert entry.added_by == caregiver and response.json()["acting_for"]["id"] == booker.pk
    listed = api(caregiver).get(f"/api/v1/waitlist/?resident={booker.pk}").json()
    assert [row["id"] for row in listed] == [entry.pk]
    left = api(caregiver).post(f"/api/v1/waitlist/{entry.pk}/leave/", {"resident": booker.pk}, format="json")
    assert left.status_code == 204
    entry.refresh_from_db()
    assert entry.status == "withdrawn"


def test_the_waiting_list_api_for_oneself(booker, department):
    day = timezone.localdate() + timedelta(days=2)
    response = api(booker).post("/api/v1/waitlist/", {"department": department.pk, "date": day.isoformat()},
                                format="json")
    assert response.status_code == 201 and response.json()["acting_for"] is None
