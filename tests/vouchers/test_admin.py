"""Django admin: claims, their events and the simulator's tables read-only; hospital
admins see only their service points' claims; superusers manage the published facts."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from portal.vouchers import services


def test_hospital_admin_sees_only_claims_at_their_service_points(client_for, hospital_admin, other_hospital_admin,
                                                                 elder, other_elder, department, other_department, rates):
    mine, _ = services.claim_record(actor=hospital_admin, resident=elder, department=department,
                                    service_date=timezone.localdate(), amount_rmb=Decimal("10"))
    theirs, _ = services.claim_record(actor=other_hospital_admin, resident=other_elder, department=other_department,
                                      service_date=timezone.localdate(), amount_rmb=Decimal("20"))
    client = client_for(hospital_admin)
    listing = client.get(reverse("admin:vouchers_claim_changelist"))
    assert listing.status_code == 200
    ids = {row.pk for row in listing.context["cl"].result_list}
    assert ids == {mine.pk}
    assert client.get(reverse("admin:vouchers_claim_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:vouchers_claim_change", args=[theirs.pk])).status_code in (302, 403, 404)
    assert client.get(reverse("admin:vouchers_claim_add")).status_code == 403
    assert client.get(reverse("admin:vouchers_simulatedaccount_changelist")).status_code == 403
    assert client.get(reverse("admin:vouchers_macaoscheme_changelist")).status_code == 403
    assert client.get(reverse("admin:vouchers_exchangerate_changelist")).status_code == 403


def test_superuser_reads_the_simulator_but_cannot_change_it(client_for, superuser, elder, simulator):
    from portal.vouchers import registry
    from portal.vouchers.models import SimulatedTransaction

    simulator.submit_claim(registry.holder_of(elder), amount_hkd=10, designated_primary_care=False, reference="x")
    entry = SimulatedTransaction.objects.first()
    client = client_for(superuser)
    assert client.get(reverse("admin:vouchers_simulatedtransaction_changelist")).status_code == 200
    assert client.get(reverse("admin:vouchers_simulatedtransaction_add")).status_code == 403
    assert client.get(reverse("admin:vouchers_simulatedtransaction_delete", args=[entry.pk])).status_code == 403
    page = client.get(reverse("admin:vouchers_simulatedaccount_change", args=[entry.account_id]))
    assert page.status_code == 200 and b'name="_save"' not in page.content and b"A123456" not in page.content
    assert client.get(reverse("admin:vouchers_voucheraccount_add")).status_code == 403


def test_superuser_edits_macao_places_in_three_languages(client_for, superuser):
    client = client_for(superuser)
    page = client.get(reverse("admin:vouchers_macaovoucherplace_add"))
    assert page.status_code == 200
    for field in ("name_en", "name_zh_hant", "name_zh_hans", "source_en", "as_of"):
        assert f'name="{field}"'.encode() in page.content


def test_superuser_manages_exchange_rates_until_a_claim_uses_them(client_for, superuser, hospital_admin, elder,
                                                                  department, rates):
    client = client_for(superuser)
    response = client.post(reverse("admin:vouchers_exchangerate_add"),
                           {"month": "2030-05-17", "hkd_per_rmb": "1.09000", "source": "Scheme notice"})
    assert response.status_code == 302
    from portal.vouchers.models import ExchangeRate

    added = ExchangeRate.objects.get(month="2030-05-01")
    assert added.created_by == superuser
    services.claim_record(actor=hospital_admin, resident=elder, department=department,
                          service_date=timezone.localdate(), amount_rmb=Decimal("10"))
    used = rates[0]
    page = client.get(reverse("admin:vouchers_exchangerate_change", args=[used.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
