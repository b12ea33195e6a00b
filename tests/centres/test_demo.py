import pytest
from django.core.management import call_command

from portal.centres.models import AccessLogEntry, CaseNote, EscortRequest, InsuranceClaim

pytestmark = pytest.mark.django_db


def test_demo_data_includes_case_activity_and_is_idempotent():
    call_command("load_demo_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    assert CaseNote.objects.count() == 1
    assert EscortRequest.objects.filter(resident__email="resident@example.com", centre__slug="gz-huangpu").count() == 1
    assert InsuranceClaim.objects.filter(resident__email="resident@example.com").count() == 1
    assert AccessLogEntry.objects.count() == 1
