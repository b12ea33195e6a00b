from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.vouchers.models import ExchangeRate
from tests import factories

RATE = Decimal("1.08500")


@pytest.fixture
def service_point(hospital):
    hospital.is_voucher_point = True
    hospital.voucher_since = date(2015, 10, 6)
    hospital.save()
    return hospital


@pytest.fixture
def other_service_point(other_hospital):
    other_hospital.is_voucher_point = True
    other_hospital.voucher_since = date(2020, 1, 1)
    other_hospital.save()
    return other_hospital


@pytest.fixture
def department(service_point):
    return factories.DepartmentFactory(hospital=service_point, accepts_vouchers=True)


@pytest.fixture
def other_department(other_service_point):
    return factories.DepartmentFactory(hospital=other_service_point, accepts_vouchers=True,
                                       specialty=factories.SpecialtyFactory(code="family-medicine"))


@pytest.fixture
def rates(db):
    """A rate for this month and the eleven before it."""
    month = timezone.localdate().replace(day=1)
    made = []
    for _ in range(12):
        made.append(ExchangeRate.objects.create(month=month, hkd_per_rmb=RATE, source="test"))
        month = (month - timezone.timedelta(days=1)).replace(day=1)
    return made


def make_elder(user, born=date(1954, 3, 8), number="A123456(3)", kind="hkid"):
    profile = user.profile
    profile.date_of_birth = born
    profile.id_document_type = kind
    profile.id_document_number = number
    profile.save()
    return user


@pytest.fixture
def elder(resident):
    """An eligible Hong Kong resident, born 1954."""
    return make_elder(resident)


@pytest.fixture
def other_elder(other_resident):
    return make_elder(other_resident, born=date(1950, 1, 1), number="B987654(0)")


SIMULATOR = "portal.vouchers.simulator.SimulatedVoucherRegistry"


@pytest.fixture
def simulator(settings):
    """The voucher system simulator as the configured registry."""
    from portal.vouchers.simulator import SimulatedVoucherRegistry

    settings.VOUCHER_REGISTRY = SIMULATOR
    return SimulatedVoucherRegistry()


@pytest.fixture
def no_registry(settings):
    settings.VOUCHER_REGISTRY = ""


@pytest.fixture
def coe_elder(db):
    """A first-time Certificate of Exemption holder, 80 this year."""
    user = factories.ProfileFactory(user__email="coe.holder@example.com").user
    return make_elder(user, born=date(timezone.localdate().year - 80, 2, 14), number="CE123456/78", kind="coe")
