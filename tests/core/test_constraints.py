"""portal.core.constraints.violated_constraint: the name of the constraint an
IntegrityError broke, the same on PostgreSQL and SQLite."""

import pytest
from django.db import IntegrityError, transaction

from portal.core.constraints import violated_constraint
from portal.core.models import ONE_KEY_PER_USER, IdempotencyKey
from portal.hospitals.models import Department
from tests import factories

pytestmark = pytest.mark.django_db


def _broken(write) -> str | None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    return violated_constraint(caught.value)


def test_a_unique_constraint_is_named(resident):
    def key():
        IdempotencyKey.objects.create(user=resident, key="k", fingerprint="f", status_code=201, response_body={})

    key()
    assert _broken(key) == ONE_KEY_PER_USER


def test_a_unique_constraint_over_other_columns_is_told_apart(hospital):
    department = factories.DepartmentFactory(hospital=hospital)
    assert _broken(lambda: Department.objects.create(hospital=hospital, specialty=department.specialty)) == (
        "hospitals_department_unique_specialty")


def test_a_check_constraint_is_named(department_slot_booking):
    appointment = department_slot_booking
    assert _broken(lambda: type(appointment).objects.filter(pk=appointment.pk).update(seat=0)) == (
        "appt_seat_within_capacity")


def test_an_error_without_a_named_constraint_gives_none(resident):
    assert _broken(lambda: IdempotencyKey.objects.create(user=resident, key="k", fingerprint="f", status_code=201,
                                                         response_body=None)) is None  # NOT NULL


@pytest.fixture
def department_slot_booking(hospital, resident):
    from portal.appointments.models import Appointment
    from tests.appointments.factories import SlotFactory

    slot = SlotFactory(department=factories.DepartmentFactory(hospital=hospital), capacity=2)
    return Appointment.objects.create(reference="CHECK001", resident=resident, slot=slot, starts_at=slot.starts_at,
                                      seat=1, seat_limit=2, reason="r", id_document="travel_permit", booked_by=resident)
