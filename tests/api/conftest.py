"""Real objects for the API fuzzing: hospitals with free slots, a booked appointment,
a transfer between two hospitals, a voucher account with a pending claim, the
resident's caregiver (their daughter) and one user per role, so generated requests reach real objects and not only 404s."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone

from portal.appointments import services as appointment_services
from portal.transfers import services as transfer_services
from portal.transfers.models import Route
from portal.vouchers import services as voucher_services
from portal.vouchers.models import ExchangeRate
from tests import factories
from tests.appointments.factories import SlotFactory
from tests.conftest import _with_totp
from tests.hospitals.factories import ItemApprovalFactory


@dataclass
class World:
    users: dict = field(default_factory=dict)
    hospital_slugs: list = field(default_factory=list)
    hospital_ids: list = field(default_factory=list)
    medicine_slugs: list = field(default_factory=list)
    slot_ids: list = field(default_factory=list)
    references: list = field(default_factory=list)
    transfer_ids: list = field(default_factory=list)
    claim_ids: list = field(default_factory=list)
    route_ids: list = field(default_factory=list)
    resident_ids: list = field(default_factory=list)
    care_link_ids: list = field(default_factory=list)


@pytest.fixture
def world(db, hospital, other_hospital, centre):
    hospital.is_voucher_point = True
    hospital.voucher_since = date(2015, 10, 6)
    hospital.save()
    department = factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)
    slots = [SlotFactory(department=department, capacity=3) for _ in range(3)]

    resident = factories.ProfileFactory(
        user__email="elder@example.com", date_of_birth=date(1954, 3, 8), id_document_type="hkid",
        id_document_number="A123456(3)", travel_permit_number="H99990000",
    ).user
    admin = _with_totp(factories.make_hospital_admin(hospital, email="admin@hku-szh.example.com"))
    staff = _with_totp(factories.make_centre_staff(centre, email="staff@gz-centre.example.com"))
    factories.give_consent(resident, centre)

    appointment = appointment_services.appointment_book(
        actor=resident, resident=resident, slot_id=slots[0].pk, reason="Check-up", id_document="travel_permit")

    month = timezone.localdate().replace(day=1)
    for _ in range(3):
        ExchangeRate.objects.create(month=month, hkd_per_rmb=Decimal("1.08500"), source="test")
        month = (month - timedelta(days=1)).replace(day=1)
    claim, _code = voucher_services.claim_record(actor=admin, resident=resident, department=department,
                                                 service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))

    route = Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital,
                                 border_point=factories.BorderPointFactory(), direction="southbound", fee_rmb=4990,
                                 notes_en="Published fee", notes_zh_hant="已公佈收費", notes_zh_hans="已公布收费")
    transfer = transfer_services.transfer_submit(
        actor=resident, requester=resident, route=route, patient_kind="self",
        clinical_summary="Stable after stroke.", mobility_needs="Stretcher", equipment_needs="Oxygen",
        escorts=[{"kind": "relative", "name": "CHAN Siu Wai", "relationship": "daughter"}],
        preferred_date=date.today() + timedelta(days=3), consent_to_share=True,
    )
    approval = ItemApprovalFactory(hospital=hospital)
    link = factories.make_caregiver(resident, email="caregiver@example.com")  # the resident's daughter
    return World(
        users={"resident": resident, "hospital_admin": admin, "centre_staff": staff, "caregiver": link.caregiver},
        resident_ids=[resident.pk],
        care_link_ids=[link.pk],
        hospital_slugs=[hospital.slug, other_hospital.slug],
        hospital_ids=[hospital.pk, other_hospital.pk],
        medicine_slugs=[approval.item.slug],
        slot_ids=[slot.pk for slot in slots],
        references=[appointment.reference],
        transfer_ids=[transfer.pk],
        claim_ids=[claim.pk],
        route_ids=[route.pk],
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI application directly, whose request signals close
    the database connection after each request; inside a test's transaction that
    would end the test. Django's own test client disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
