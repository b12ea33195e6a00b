"""API: own eligibility, the registry's balance (none without a registry) and the
claims made through the portal (paginated); claim confirmation scoped to the owner
and the claim's service point."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portal.vouchers import services
from portal.vouchers.models import Claim


@pytest.fixture
def pending(hospital_admin, elder, department, rates):
    return services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                 service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))


def test_account_with_the_registry_balance_pending_claims_and_paginated_claims(client_for, pending, elder, simulator,
                                                                              django_assert_max_num_queries):
    client = client_for(elder)
    client.get("/api/v1/vouchers/")
    with django_assert_max_num_queries(14):
        data = client.get("/api/v1/vouchers/").json()
    assert data["eligible"] is True
    balance = data["balance"]
    assert (balance["total_hkd"], balance["own_hkd"], balance["is_simulator"]) == (8000, 8000, True)
    assert balance["source"] == "Voucher system simulator" and balance["as_of"]
    assert [c["voucher_amount"] for c in data["pending_claims"]] == [108]
    assert data["claims"]["count"] == 1 and data["claims"]["results"][0]["status"] == "pending_confirmation"


def test_without_a_registry_there_is_no_balance_and_it_says_where_to_look(client_for, pending, elder, no_registry):
    data = client_for(elder).get("/api/v1/vouchers/").json()
    assert data["balance"] is None and "eHealth app" in data["where_to_check"]


def test_ineligible_account_says_why(client_for, other_resident):
    data = client_for(other_resident).get("/api/v1/vouchers/").json()
    assert data["eligible"] is False and "Hong Kong identity card" in data["ineligible_reason"]
    assert data["claims"]["results"] == [] and data["balance"] is None


def test_anonymous_is_refused(client):
    assert client.get("/api/v1/vouchers/").status_code == 403


def test_owner_confirms(client_for, pending, elder):
    claim, _code = pending
    response = client_for(elder).post(f"/api/v1/vouchers/claims/{claim.pk}/confirm/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def test_service_point_confirms_with_the_code_and_wrong_code_is_400(client_for, pending, hospital_admin):
    claim, code = pending
    client = client_for(hospital_admin)
    url = f"/api/v1/vouchers/claims/{claim.pk}/confirm/"
    bad = client.post(url, {"code": "abcdef"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "wrong_code"
    good = client.post(url, {"code": code}, content_type="application/json")
    assert good.status_code == 200 and good.json()["voucher_amount"] == 108


@pytest.mark.parametrize("who", ["other_elder", "other_hospital_admin"])
def test_others_get_404(client_for, pending, who, request):
    claim, code = pending
    response = client_for(request.getfixturevalue(who)).post(
        f"/api/v1/vouchers/claims/{claim.pk}/confirm/", {"code": code}, content_type="application/json")
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING and claim.code_attempts == 0


def test_unknown_claim_is_404(client_for, elder):
    assert client_for(elder).post("/api/v1/vouchers/claims/999999/confirm/", {}).status_code == 404
