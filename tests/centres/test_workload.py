import pytest
from django.urls import reverse

from tests.factories import make_centre_staff

pytestmark = pytest.mark.django_db


def test_only_managers_see_the_workload(client_for, centre, resident, consent, centre_staff):
    from tests.conftest import _with_totp

    manager = _with_totp(make_centre_staff(centre, is_manager=True, email="boss@gz-centre.example.com"))
    assert client_for(centre_staff).get(reverse("centres:workload")).status_code == 404
    page = client_for(manager).get(reverse("centres:workload"))
    assert page.status_code == 200
    assert "0 open cases" in page.content.decode()


def test_workload_counts_cases_escorts_and_pending_claims(client_for, centre, centre_staff, resident, consent,
                                                          visit_hospital, django_assert_max_num_queries):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from portal.centres import services
    from tests.conftest import _with_totp

    manager = _with_totp(make_centre_staff(centre, is_manager=True, email="boss@gz-centre.example.com"))
    today = timezone.localdate()
    days_left = 6 - today.weekday()
    visit = timezone.localtime() + timedelta(days=min(days_left, 1), hours=1) if days_left else timezone.localtime() + timedelta(hours=1)
    services.escort_request_create(actor=resident, resident=resident, centre=centre, language="yue",
                                   hospital=visit_hospital, visit_at=visit)
    services.claim_create(actor=centre_staff, resident=resident, visit_date=today, hospital=visit_hospital,
                          insurer="Pearl", policy_number="AB1234", amount=Decimal("10"), currency="CNY")
    client = client_for(manager)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("centres:workload")).content.decode()
    assert "1 open case" in page
    assert "1 pending claim" in page
    if visit.date() <= today + timedelta(days=days_left):
        assert "1 escort this week" in page
