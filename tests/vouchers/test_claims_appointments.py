"""Claims for a visit booked through the portal are linked to that appointment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.appointments.models import Appointment, Slot
from portal.vouchers import services
from portal.vouchers.models import Claim, ExchangeRate
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(resident, hospital, hospital_admin):
    hospital.is_voucher_point = True
    hospital.save()
    department = DepartmentFactory(hospital=hospital, accepts_vouchers=True)
    profile = resident.profile
    profile.id_document_type, profile.id_document_number = "hkid", "C668668(9)"
    profile.date_of_birth = timezone.localdate().replace(year=1950)
    profile.save()
    # A visit earlier today in the portal's time zone, whatever time the suite runs
    # (the service date must be the appointment's local date).
    starts = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    today = timezone.localdate()
    ExchangeRate.objects.get_or_create(month=today.replace(day=1), defaults={"hkd_per_rmb": Decimal("1.08500")})
    slot = Slot.objects.create(department=department, starts_at=starts, ends_at=starts + timedelta(minutes=15), capacity=2)
    appointment = Appointment.objects.create(reference="APTLINK1", resident=resident, slot=slot, starts_at=starts, seat=1,
                                             seat_limit=2, reason="Check-up", id_document="hkid", booked_by=resident)
    return appointment, department


def _record(actor, resident, department, reference):
    return services.claim_record(actor=actor, resident=resident, department=department,
                                 service_date=timezone.localdate(), amount_rmb=Decimal("100.00"), visit_reference=reference)


def test_claim_links_an_attended_appointment_once(visit, resident, hospital_admin):
    appointment, department = visit
    with pytest.raises(ValidationError) as not_attended:
        _record(hospital_admin, resident, department, "APTLINK1")
    assert not_attended.value.code == "appointment_not_attended"
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.ATTENDED)
    claim, _code = _record(hospital_admin, resident, department, "aptlink1")
    assert claim.appointment == appointment
    with pytest.raises(ValidationError) as twice:
        _record(hospital_admin, resident, department, "APTLINK1")
    assert twice.value.code == "appointment_claimed"
    assert Claim.objects.count() == 1


def test_other_references_are_kept_as_text(visit, resident, hospital_admin):
    _appointment, department = visit
    claim, _code = _record(hospital_admin, resident, department, "HOSP-778")
    assert claim.appointment is None and claim.visit_reference == "HOSP-778"
