"""Notification texts in the recipient's language; the demo loader."""

from decimal import Decimal

from django.utils import timezone

from portal.notifications.models import Notification
from portal.vouchers import services


def test_every_voucher_message_is_sent_in_the_residents_language(hospital_admin, elder, department, rates):
    elder.language = "zh-hant"
    elder.save()
    claim, code = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                        service_date=timezone.localdate(), amount_rmb=Decimal("100.00"))
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="Charged twice")
    messages = {n.event: n for n in Notification.objects.filter(recipient=elder)}
    assert set(messages) == {"vouchers_allotment", "vouchers_claim_pending", "vouchers_claim_debited",
                             "vouchers_claim_voided"}
    assert messages["vouchers_allotment"].subject.startswith("你") and "長者醫療券" in messages["vouchers_allotment"].subject
    pending = messages["vouchers_claim_pending"]
    assert "香港大學深圳醫院" in pending.body and code in pending.body and "一次性驗證碼" in pending.body
    assert "HK$1,892" in messages["vouchers_claim_debited"].body
    assert "已退回" in messages["vouchers_claim_voided"].body


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


def test_demo_data_loads_twice_with_the_same_result(db):
    from portal.accounts import demo as accounts_demo
    from portal.centres import demo as centres_demo
    from portal.hospitals import demo as hospitals_demo
    from portal.vouchers import demo
    from portal.vouchers.models import Claim, ExchangeRate, LedgerEntry

    hospitals_demo.load()
    if hasattr(centres_demo, "load"):
        centres_demo.load()
    accounts_demo.load()
    first = demo.load()
    assert "voucher balance HK$" in first
    counts = (ExchangeRate.objects.count(), LedgerEntry.objects.count(), Claim.objects.count())
    assert demo.load() == first
    assert (ExchangeRate.objects.count(), LedgerEntry.objects.count(), Claim.objects.count()) == counts
    assert counts[0] == 12 and Claim.objects.filter(status="pending_confirmation").count() == 1
    assert Claim.objects.filter(status="confirmed", hospital__slug="hku-szh").count() == 2
