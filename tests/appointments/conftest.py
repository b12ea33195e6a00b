import pytest

from tests import factories

from .factories import SlotFactory, make_resident


@pytest.fixture
def department(hospital):
    hospital.is_voucher_point = True
    hospital.save(update_fields=["is_voucher_point"])
    return factories.DepartmentFactory(hospital=hospital, accepts_vouchers=True)


@pytest.fixture
def other_department(other_hospital):
    return factories.DepartmentFactory(
        hospital=other_hospital,
        specialty=factories.SpecialtyFactory(code="cardiology", name_en="Cardiology", name_zh_hant="心臟科", name_zh_hans="心脏科"),
    )


@pytest.fixture
def slot(department):
    return SlotFactory(department=department, capacity=3)


@pytest.fixture
def make_slot(department):
    def make(**kwargs):
        kwargs.setdefault("department", department)
        return SlotFactory(**kwargs)

    return make


@pytest.fixture
def booker(resident):
    """The shared `resident` with an identity document on the profile."""
    resident.profile.travel_permit_number = "H99990000"
    resident.profile.save()
    return resident


@pytest.fixture
def stranger(other_resident):
    other_resident.profile.travel_permit_number = "H99990001"
    other_resident.profile.save()
    return other_resident


@pytest.fixture
def new_resident(db):
    return make_resident


@pytest.fixture
def book(booker):
    from portal.appointments import services

    def do(slot, resident=None, actor=None, **kwargs):
        resident = resident or booker
        kwargs.setdefault("reason", "Check-up")
        kwargs.setdefault("id_document", "travel_permit")
        return services.appointment_book(actor=actor or resident, resident=resident, slot_id=slot.pk, **kwargs)

    return do
