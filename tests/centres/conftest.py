import pytest
from django.urls import reverse

from portal.accounts.models import Profile
from tests.factories import HospitalFactory, give_consent


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def resident_profile(resident):
    profile = resident.profile
    profile.id_document_type = Profile.DocumentType.HKID
    profile.id_document_number = "A123456(3)"
    profile.phone = "+85291234567"
    profile.save()
    return profile


@pytest.fixture
def consent(resident, centre):
    return give_consent(resident, centre)


@pytest.fixture
def visit_hospital(db):
    return HospitalFactory(slug="gdd-hospital", name_en="Guangzhou Development District Hospital",
                           name_zh_hant="廣州開發區醫院", name_zh_hans="广州开发区医院")


def open_case(client, resident, reason="enquiry", other=""):
    """Give a reason for opening the resident's case in this client's session."""
    return client.post(reverse("centres:case_open", args=[resident.pk]), {"reason": reason, "other": other})


@pytest.fixture
def staff_client(client_for, centre_staff):
    return client_for(centre_staff)


def count_queries(make_request) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        make_request()
    return len(context)


@pytest.fixture
def roles(db):
    """The role groups that data migrations create; transactional tests flush them
    away, so tests with `transaction=True` request this before any staff fixture."""
    from django.contrib.auth.models import Group

    from portal.accounts.roles import CENTRE_STAFF, HOSPITAL_ADMINS

    for name in (CENTRE_STAFF, HOSPITAL_ADMINS):
        Group.objects.get_or_create(name=name)
