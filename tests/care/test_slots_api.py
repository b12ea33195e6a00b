"""GET /api/v1/hospitals/<id>/slots/?resident=<elder>: a caregiver sees the slots as
the elder would, so a place the waiting list holds for the elder is offered to book."""

import pytest
from django.utils import timezone

from portal.appointments import services
from portal.centres.models import AccessLogEntry
from tests import factories
from tests.appointments.factories import SlotFactory, make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_for_elder(elder, hospital):
    """A one-place slot that a cancellation offered to the elder from the waiting list."""
    department = factories.DepartmentFactory(hospital=hospital)
    slot = SlotFactory(department=department, capacity=1)
    first = make_resident()
    appointment = services.appointment_book(actor=first, resident=first, slot_id=slot.pk, reason="Check-up",
                                            id_document="travel_permit")
    services.waitlist_join(actor=elder, resident=elder, department_id=department.pk,
                           day=timezone.localtime(slot.starts_at).date())
    services.appointment_cancel(actor=first, resident=first, reference=appointment.reference)
    assert elder.waitlist_entries.get().offered_slot == slot
    return slot


def slot_ids(client, slot, **params) -> list[int]:
    response = client.get(f"/api/v1/hospitals/{slot.department.hospital_id}/slots/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_the_caregiver_sees_the_place_held_for_the_elder(client_for, caregiver, elder, held_for_elder):
    client = client_for(caregiver)
    assert slot_ids(client, held_for_elder) == []  # for the caregiver themself, the place is held for someone else
    assert slot_ids(client, held_for_elder, resident=elder.pk) == [held_for_elder.pk]
    assert AccessLogEntry.objects.filter(actor=caregiver, resident=elder, what="appointments").exists()


def test_the_elder_sees_it_too(client_for, elder, held_for_elder):
    assert slot_ids(client_for(elder), held_for_elder) == [held_for_elder.pk]


def test_nobody_else_may_look_as_the_elder(client_for, elder, other_resident, held_for_elder):
    url = f"/api/v1/hospitals/{held_for_elder.department.hospital_id}/slots/"
    assert client_for(other_resident).get(url, {"resident": elder.pk}).status_code == 404
    assert client_for(other_resident).get(url, {"resident": "x"}).status_code == 404


def test_a_caregiver_without_the_right_is_told_why(client_for, elder, held_for_elder):
    link = factories.make_caregiver(elder, email="son@example.com", rights=["messages"])
    response = client_for(link.caregiver).get(f"/api/v1/hospitals/{held_for_elder.department.hospital_id}/slots/",
                                              {"resident": elder.pk})
    assert response.status_code == 403, response.content
    assert "appointments" in response.json()["detail"], response.json()
