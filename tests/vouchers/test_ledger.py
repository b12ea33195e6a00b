"""The ledger: allotments (idempotent, capped), append-only, balance derived and
never negative -- including property-based sequences of allotments, claims and voids."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from portal.notifications.models import Notification
from portal.vouchers import services
from portal.vouchers.models import Claim, LedgerEntry, VoucherAccount
from portal.vouchers.selectors import balance_of
from tests import factories


def test_allotment_is_idempotent_per_account_and_year(elder):
    account = VoucherAccount.objects.create(user=elder)
    assert services.allotment_grant(account=account, year=2026).amount_hkd == 2000
    assert services.allotment_grant(account=account, year=2026) is None
    assert balance_of(account) == 2000
    assert Notification.objects.filter(recipient=elder, event="vouchers_allotment").count() == 1


def test_database_refuses_a_second_allotment_for_the_same_year(elder):
    account = VoucherAccount.objects.create(user=elder)
    services.allotment_grant(account=account, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(account=account, sequence=2, kind="allotment", amount_hkd=0, balance_after=2000,
                                   allotment_year=2026)


def test_database_refuses_a_negative_balance(elder):
    account = VoucherAccount.objects.create(user=elder)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(account=account, sequence=1, kind="adjustment", amount_hkd=-1, balance_after=-1)


def test_allotments_stop_at_the_cap(elder):
    account = VoucherAccount.objects.create(user=elder)
    credits = [services.allotment_grant(account=account, year=year).amount_hkd for year in range(2020, 2026)]
    assert credits == [2000, 2000, 2000, 2000, 0, 0]
    assert balance_of(account) == 8000


def test_settings_change_the_annual_amount_and_cap(elder, settings):
    settings.VOUCHER_ANNUAL_AMOUNT_HKD, settings.VOUCHER_ACCUMULATION_CAP_HKD = 1000, 1500
    account = VoucherAccount.objects.create(user=elder)
    assert [services.allotment_grant(account=account, year=y).amount_hkd for y in (2024, 2025)] == [1000, 500]


def test_yearly_task_credits_every_eligible_resident_once(elder, other_resident):
    from portal.vouchers.tasks import run_allotments

    young = factories.ProfileFactory(user__email="young@example.com", date_of_birth=date(1990, 1, 1),
                                     id_document_type="hkid", id_document_number="C123456(9)").user
    macao = factories.ProfileFactory(user__email="macao@example.com", date_of_birth=date(1940, 1, 1),
                                     id_document_type="macao_id", id_document_number="1234567(8)").user
    assert run_allotments.delay(2026).get() == 1
    assert run_allotments.delay(2026).get() == 0
    assert balance_of(VoucherAccount.objects.get(user=elder)) == 2000
    assert not VoucherAccount.objects.filter(user__in=[young, macao, other_resident]).exists()


def test_account_opens_lazily_only_for_the_eligible(elder, other_resident):
    assert services.account_open(user=other_resident) is None
    account = services.account_open(user=elder)
    assert services.account_open(user=elder) == account
    assert balance_of(account) == 2000


def test_adjustment_needs_a_superuser(elder, superuser, hospital_admin):
    account = services.account_open(user=elder)
    with pytest.raises(PermissionError):
        services.adjustment_record(actor=hospital_admin, account=account, amount=10, note="x")
    services.adjustment_record(actor=superuser, account=account, amount=-500, note="Migrated balance")
    assert balance_of(account) == 1500
    with pytest.raises(ValidationError):
        services.adjustment_record(actor=superuser, account=account, amount=-1501, note="too much")


@pytest.mark.postgres
def test_postgres_trigger_makes_the_ledger_append_only(elder):
    account = services.account_open(user=elder)
    entry = account.entries.get()
    for statement in ("UPDATE vouchers_ledgerentry SET amount_hkd = 5 WHERE id = %s",
                      "DELETE FROM vouchers_ledgerentry WHERE id = %s"):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.amount_hkd == 2000


# --- Property-based -------------------------------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("allot"), st.integers(min_value=2019, max_value=2026)),
        st.tuples(st.just("claim"), st.integers(min_value=1, max_value=4000)),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=20)),
    ),
    max_size=12,
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_the_balance_equal_to_the_entries_and_within_bounds(ops, hospital_admin, department, rates, settings):
    cap = settings.VOUCHER_ACCUMULATION_CAP_HKD
    # A fresh account per example (the ledger services do not re-check eligibility).
    elder = factories.ProfileFactory().user
    account = VoucherAccount.objects.create(user=elder)
    confirmed: list[Claim] = []
    refunded = False
    for op, value in ops:
        before = balance_of(account)
        count = account.entries.count()
        if op == "allot":
            services.allotment_grant(account=account, year=value)
            # An allotment never lifts a balance above the cap. Only a refund (void)
            # may restore spent vouchers on top of a full balance (docs/vouchers.md).
            assert balance_of(account) <= max(cap, before)
            if not refunded:
                assert balance_of(account) <= cap
        elif op == "claim":
            claim = Claim.objects.create(
                account=account, hospital=department.hospital, department=department, service_date=timezone.localdate(),
                amount_rmb=Decimal(value), exchange_rate=rates[0], fee_hkd=Decimal(value), voucher_amount=value,
                recorded_by=hospital_admin, expires_at=timezone.now() + timezone.timedelta(hours=1), code_hash="x")
            try:
                services.claim_confirm(actor=elder, claim_id=claim.pk)
            except ValidationError:
                assert value > before and account.entries.count() == count  # nothing written
            else:
                assert balance_of(account) == before - value
                confirmed.append(claim)
        elif confirmed:
            claim = confirmed.pop(value % len(confirmed))
            services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="property test")
            assert balance_of(account) == before + claim.voucher_amount
            refunded = True
        total = account.entries.aggregate(total=Sum("amount_hkd"))["total"] or 0
        assert balance_of(account) == total >= 0
        assert not account.entries.filter(balance_after__lt=0).exists()
        running = 0
        for amount, after in account.entries.order_by("sequence").values_list("amount_hkd", "balance_after"):
            running += amount
            assert after == running
