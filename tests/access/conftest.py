import pytest

from tests.access.cases import OBJECTS, PASSWORD_ONLY
from tests.factories import give_consent, make_caregiver


class World:
    """The people and objects every access case is checked against."""

    def __init__(self, **people):
        self.__dict__.update(people)
        self._objects = {}

    def obj(self, name: str):
        if name not in self._objects:
            self._objects[name] = OBJECTS[name](self)
        return self._objects[name]

    def user(self, role: str):
        if role == "caregiver_of_one_transfer":  # needs the owner's transfer: made when asked for
            return make_caregiver(self.owner, rights=("transfers", "messages"), transfer=self.obj("transfer"),
                                  email="follower@example.com", relationship="relative").caregiver
        return None if role == "anonymous" else getattr(self, role.removesuffix(PASSWORD_ONLY))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Transfer attachments and claim documents are written here.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _caregivers(owner, other_resident) -> dict:
    """The caregiver roles (tests/access/cases.py)."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.care.models import CareLink

    rights = ("appointments", "vouchers", "transfers", "messages")
    links = {
        # The live caregiver also keeps the owner's health summary (issue 19).
        "caregiver": make_caregiver(owner, rights=(*rights, "health_summary"), email="daughter@example.com"),
        "caregiver_messages_only": make_caregiver(owner, rights=("messages",), email="son@example.com",
                                                  relationship="son"),
        "caregiver_of_other_resident": make_caregiver(other_resident, rights=rights, email="niece@example.com",
                                                      relationship="relative"),
        "caregiver_revoked": make_caregiver(owner, rights=rights, email="former@example.com", relationship="friend"),
        "caregiver_past_end_date": make_caregiver(owner, rights=rights, email="helper@example.com",
                                                  relationship="helper",
                                                  end_date=timezone.localdate() - timedelta(days=1)),
    }
    CareLink.objects.filter(pk=links["caregiver_revoked"].pk).update(status="revoked", ended_at=timezone.now())
    return {role: link.caregiver for role, link in links.items()}


@pytest.fixture
def world(resident, other_resident, hospital, other_hospital, hospital_admin, other_hospital_admin,
          centre, centre_staff, other_centre_staff, superuser):
    give_consent(resident, centre)
    return World(
        **_caregivers(resident, other_resident),
        owner=resident,
        other_resident=other_resident,
        hospital=hospital,
        other_hospital=other_hospital,
        hospital_admin=hospital_admin,
        other_hospital_admin=other_hospital_admin,
        centre=centre,
        centre_staff_with_consent=centre_staff,
        centre_staff_without_consent=other_centre_staff,
        superuser=superuser,
    )
