from datetime import date, timedelta

import pytest

from portal.transfers import services
from portal.transfers.models import Route
from tests import factories
from tests.conftest import _with_totp


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def border_point(db):
    return factories.BorderPointFactory()


@pytest.fixture
def route(hospital, other_hospital, border_point):
    """HKU-Shenzhen (hospital, sending) -> Tuen Mun (other_hospital, receiving)."""
    return Route.objects.create(sending_hospital=hospital, receiving_hospital=other_hospital,
                                border_point=border_point, direction="southbound", fee_rmb=4990,
                                notes_en="Published fee", notes_zh_hant="已公佈收費", notes_zh_hans="已公布收费")


@pytest.fixture
def sending_admin(hospital_admin):
    return hospital_admin


@pytest.fixture
def receiving_admin(other_hospital_admin):
    return other_hospital_admin


@pytest.fixture
def third_hospital_admin(db):
    third = factories.HospitalFactory(slug="pmh", name_en="Princess Margaret Hospital")
    return _with_totp(factories.make_hospital_admin(third, email="admin@pmh.example.com"))


@pytest.fixture
def follower(db):
    """A family member who follows one transfer (a care link limited to it: see follow())."""
    return factories.ProfileFactory(user__email="daughter@example.com", name_en="CHAN Siu Wai").user


def follow(transfer, user):
    """`user` follows `transfer`: a care link of the requester limited to it, as
    the followers of old became (portal/care/migrations/0002_transfer_followers)."""
    return factories.make_caregiver(transfer.requester, user, rights=("transfers", "messages"), transfer=transfer,
                                    relationship="relative")


@pytest.fixture
def consenting_staff(centre_staff, resident, centre):
    factories.give_consent(resident, centre)
    return centre_staff


def submit(requester, route, actor=None, **overrides):
    values = {
        "actor": actor or requester, "requester": requester, "route": route, "patient_kind": "self",
        "clinical_summary": "Stable after stroke.", "mobility_needs": "Stretcher", "equipment_needs": "Oxygen",
        "escorts": [{"kind": "relative", "name": "CHAN Siu Wai", "relationship": "daughter"}],
        "preferred_date": date.today() + timedelta(days=3), "consent_to_share": True,
    }
    values.update(overrides)
    return services.transfer_submit(**values)


@pytest.fixture
def transfer(resident, route):
    return submit(resident, route)
