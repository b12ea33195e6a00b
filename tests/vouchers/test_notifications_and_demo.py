"""Notification texts in the recipient's language; the demo loader."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portal.notifications.models import Notification
from portal.vouchers import services


def test_every_voucher_message_is_sent_in_the_residents_language(hospital_admin, elder, department, rates, simulator):
    elder.language = "zh-hant"
    elder.save()
    claim, code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                        service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))
    pending = Notification.objects.get(recipient=elder, event="vouchers_claim_pending")
    assert "香港大學深圳醫院" in pending.body and code in pending.body and "一次性驗證碼" in pending.body
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="Charged twice")
    messages = {n.event: n for n in Notification.objects.filter(recipient=elder)}
    assert set(messages) == {"vouchers_claim_pending", "vouchers_claim_debited", "vouchers_claim_voided"}
    pending = messages["vouchers_claim_pending"]  # the code masked once the claim was confirmed
    assert code not in pending.body and services.CODE_MASK in pending.body and "一次性驗證碼" in pending.body
    debited = messages["vouchers_claim_debited"].body
    assert "港幣 7,892 元" in debited and "醫療券系統模擬器" in debited  # the source, in the resident's language
    assert "港幣 8,000 元" in messages["vouchers_claim_voided"].body and "醫療券系統模擬器" in messages["vouchers_claim_voided"].body


def test_expiry_message_in_simplified_chinese(hospital_admin, other_elder, department, rates):
    other_elder.language = "zh-hans"
    other_elder.save()
    claim, _ = services.claim_record(actor=hospital_admin, resident=other_elder, department=department,
                                     service_date=timezone.localdate(), amount_rmb=Decimal("50"))
    services.claims_expire(now=claim.expires_at)
    message = Notification.objects.get(recipient=other_elder, event="vouchers_claim_expired")
    assert "未及时确认" in message.body and "香港大学深圳医院" in message.body


def test_index_query_count_is_fixed(client_for, elder, hospital_admin, department, rates, django_assert_max_num_queries):
    from django.urls import reverse

    for _ in range(3):
        services.claim_record(actor=hospital_admin, resident=elder, department=department,
                              service_date=timezone.localdate(), amount_rmb=Decimal("10"))
    client = client_for(elder)
    client.get(reverse("vouchers:index"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("vouchers:index")).status_code == 200


@pytest.mark.parametrize("registry", ["", "portal.vouchers.simulator.SimulatedVoucherRegistry"])
def test_demo_data_loads_twice_with_the_same_result(db, settings, registry):
    from portal.accounts import demo as accounts_demo
    from portal.centres import demo as centres_demo
    from portal.hospitals import demo as hospitals_demo
    from portal.vouchers import demo
    from portal.vouchers.models import (
        Claim,
        ExchangeRate,
        MacaoScheme,
        MacaoVoucherPlace,
        ServicePoint,
        SimulatedTransaction,
    )

    settings.VOUCHER_REGISTRY = registry
    hospitals_demo.load()
    if hasattr(centres_demo, "load"):
        centres_demo.load()
    accounts_demo.load()
    first = demo.load()
    tables = (ExchangeRate, Claim, ServicePoint, MacaoScheme, MacaoVoucherPlace, SimulatedTransaction)
    counts = [model.objects.count() for model in tables]
    assert demo.load() == first
    assert [model.objects.count() for model in tables] == counts
    assert counts[:5] == [12, 3, 21, 2, 3]
    assert Claim.objects.filter(status="pending_confirmation").count() == 1
    assert Claim.objects.filter(status="confirmed", hospital__slug="hku-szh").count() == 2
    if registry:
        assert "balance from the voucher system simulator HK$" in first and "(not a real balance)" in first
        assert counts[5] > 0
    else:
        assert "no voucher registry configured: the portal shows no balance" in first and counts[5] == 0
    jiangmen = ServicePoint.objects.get(hospital__slug="jiangmen-central")
    assert (jiangmen.departments_count, jiangmen.departments_note_zh_hant) == (16, "包括急症科")
    assert not ServicePoint.objects.get(hospital__slug="clifford").departments_published
    from portal.hospitals.models import Hospital

    clifford = Hospital.objects.get(slug="clifford")
    assert (clifford.voucher_since_precision, clifford.voucher_since_display) == ("year", "2025")
    # No default list of designated departments: only the demo's own at HKU-Shenzhen.
    assert set(Hospital.objects.filter(departments__accepts_vouchers=True).values_list("slug", flat=True)) == {"hku-szh"}


def _record(hospital_admin, elder, department):
    claim, code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                        service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))
    return claim, code


def _code_kept(elder, code) -> list[str]:
    """Where the portal's copy of the pending-claim message still holds the code."""
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_pending")
    return [field for field, value in (("subject", message.subject), ("body", message.body),
                                       ("body_html", message.body_html), ("context", str(message.context)))
            if code in value]


@pytest.mark.parametrize("outcome", ["confirmed", "confirmed_with_code", "declined", "voided", "expired"])
def test_the_one_time_code_is_masked_once_the_claim_is_no_longer_pending(hospital_admin, elder, department, rates,
                                                                         client_for, outcome):
    claim, code = _record(hospital_admin, elder, department)
    assert _code_kept(elder, code) == ["body", "body_html", "context"]  # the resident needs it while pending
    if outcome == "confirmed":
        services.claim_confirm(actor=elder, claim_id=claim.pk)
    elif outcome == "confirmed_with_code":
        services.claim_confirm(actor=hospital_admin, claim_id=claim.pk, code=code)
    elif outcome == "declined":
        services.claim_reject(actor=elder, claim_id=claim.pk)
    elif outcome == "voided":
        services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="Recorded twice")
    else:
        services.claims_expire(now=claim.expires_at)
    assert _code_kept(elder, code) == []
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_pending")
    assert services.CODE_MASK in message.body and message.context["code"] == services.CODE_MASK
    from django.urls import reverse

    page = client_for(elder).get(reverse("notifications:detail", args=[message.pk])).content.decode()
    assert code not in page and services.CODE_MASK in page


def test_a_wrong_code_leaves_the_code_in_place(hospital_admin, elder, department, rates):
    from django.core.exceptions import ValidationError

    claim, code = _record(hospital_admin, elder, department)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(ValidationError):
        services.claim_confirm(actor=hospital_admin, claim_id=claim.pk, code=wrong)
    assert _code_kept(elder, code) == ["body", "body_html", "context"]  # still pending: still needed
