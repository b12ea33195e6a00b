"""A caregiver with the right sees an elder's voucher balance and history, read
only; confirming or declining a claim stays with the elder."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.care import services as care_services
from portal.centres.models import AccessLogEntry
from portal.vouchers import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_link(elder):
    return factories.make_caregiver(elder, email="daughter-vouchers@example.com", language="en")


@pytest.fixture
def pending(elder, department, rates, hospital_admin):
    claim, _code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("100.00"),
                                         visit_reference="APT-7788")
    return claim


def test_the_caregiver_sees_balance_and_pending_claims_but_cannot_confirm(client_for, elder, care_link, pending):
    client = client_for(care_link.caregiver)
    page = client.get(reverse("vouchers:for_index", args=[elder.pk])).content.decode()
    assert "APT-7788" in page and f"You are viewing the vouchers of {elder.display_name}" in page
    assert reverse("vouchers:claim_confirm", args=[pending.pk]) not in page
    history = client.get(reverse("vouchers:for_history", args=[elder.pk]))
    assert history.status_code == 200 and "A123456(3)" not in history.content.decode()
    statement = client.get(reverse("vouchers:for_statement", args=[elder.pk])).content.decode()
    assert "A****56(*)" in statement and "A123456(3)" not in statement
    # Confirming is the elder's, by every door:
    assert client.post(reverse("vouchers:claim_confirm", args=[pending.pk])).status_code == 404
    assert client.post(f"/api/v1/vouchers/claims/{pending.pk}/confirm/", {}, content_type="application/json"
                       ).status_code == 404
    with pytest.raises(PermissionError):
        services.claim_confirm(actor=care_link.caregiver, claim_id=pending.pk)
    pending.refresh_from_db()
    assert pending.status == "pending_confirmation"
    whats = list(AccessLogEntry.objects.filter(actor=care_link.caregiver).values_list("what", flat=True))
    assert whats == ["vouchers", "vouchers", "vouchers"]


def test_the_api_reads_the_elders_account_for_the_caregiver(client_for, elder, care_link, pending):
    body = client_for(care_link.caregiver).get(f"/api/v1/vouchers/?resident={elder.pk}").json()
    assert body["acting_for"] == {"id": elder.pk, "name": elder.display_name, "role": "caregiver"}
    assert [claim["id"] for claim in body["pending_claims"]] == [pending.pk]
    own = client_for(care_link.caregiver).get("/api/v1/vouchers/").json()
    assert own["pending_claims"] == [] and own["acting_for"] is None


def test_without_the_right_or_after_revocation_nothing(client_for, elder, care_link, other_resident, pending):
    care_services.care_link_change(actor=elder, link_id=care_link.pk, rights=["appointments"])
    client = client_for(care_link.caregiver)
    refused = client.get(reverse("vouchers:for_index", args=[elder.pk]))
    assert refused.status_code == 403 and "see their vouchers" in refused.content.decode()
    assert client.get(f"/api/v1/vouchers/?resident={elder.pk}").status_code == 403
    care_services.care_link_revoke(actor=elder, link_id=care_link.pk)
    assert client.get(reverse("vouchers:for_history", args=[elder.pk])).status_code == 403
    stranger = client_for(other_resident)
    assert stranger.get(reverse("vouchers:for_index", args=[elder.pk])).status_code == 404
    assert stranger.get(f"/api/v1/vouchers/?resident={elder.pk}").status_code == 404
    assert not AccessLogEntry.objects.exists()
