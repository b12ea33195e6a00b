"""Two staff members move the same claim at the same moment: the conditional
update of portal.core.workflow makes exactly one move win, and the event log has
exactly one row for it."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from portal.centres import services
from portal.centres.models import ClaimEvent, InsuranceClaim
from tests.factories import HospitalFactory, give_consent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_moves_from_submitted_only_one_wins(roles, centre, centre_staff, resident):
    give_consent(resident, centre)
    claim = services.claim_create(
        actor=centre_staff, resident=resident, visit_date=timezone.localdate() - timedelta(days=1),
        hospital=HospitalFactory(), insurer="Pearl", policy_number="AB123456", amount=Decimal("10"), currency="CNY",
    )
    services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status="submitted")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(to_status):
        try:
            barrier.wait(timeout=10)
            services.claim_move(actor=centre_staff, claim_id=claim.pk, to_status=to_status)
            outcomes.append(f"moved:{to_status}")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(status,)) for status in ("paid", "rejected")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["moved", "refused"]
    claim.refresh_from_db()
    assert claim.status in ("paid", "rejected")
    assert ClaimEvent.objects.filter(claim=claim, from_status="submitted").count() == 1
    assert InsuranceClaim.objects.get(pk=claim.pk).status == outcomes[[o.startswith("moved") for o in outcomes].index(True)].split(":")[1]
