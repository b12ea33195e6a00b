import pytest

from tests.access.cases import OBJECTS, PASSWORD_ONLY
from tests.factories import give_consent


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
        return None if role == "anonymous" else getattr(self, role.removesuffix(PASSWORD_ONLY))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Transfer attachments and claim documents are written here.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world(resident, other_resident, hospital, other_hospital, hospital_admin, other_hospital_admin,
          centre, centre_staff, other_centre_staff, superuser):
    give_consent(resident, centre)
    return World(
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
