"""Issue 15: a service-point fee of RMB 95,000,000 passed the form and overflowed
Claim.fee_hkd (a 500 on PostgreSQL). A fee whose Hong Kong dollar amount does
not fit the column is now a form error, and nothing is written."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.vouchers import services
from portal.vouchers.models import Claim

pytestmark = pytest.mark.django_db


def _record(client, department, elder, amount):
    return client.post(reverse("vouchers:staff_claim_new"), {
        "resident": elder.email, "department": department.pk, "service_date": timezone.localdate().isoformat(),
        "amount_rmb": amount, "attended": "on"})


def test_a_fee_too_large_for_the_record_is_a_form_error(client_for, hospital_admin, elder, department, rates):
    response = _record(client_for(hospital_admin), department, elder, "95000000.00")
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_largest_fee_that_fits_is_recorded(hospital_admin, elder, department, rates):
    """RMB 92,165,898.61 x 1.085 = HK$99,999,999.99, the largest the column holds."""
    claim, _code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("92165898.61"))
    assert claim.fee_hkd == Decimal("99999999.99")
    with pytest.raises(ValidationError, match="too large"):
        services.claim_record(actor=hospital_admin, resident=elder, department=department,
                              service_date=timezone.localdate(), amount_rmb=Decimal("92165898.62"))
