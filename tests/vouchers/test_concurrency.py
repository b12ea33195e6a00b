"""Concurrent claims on one account (PostgreSQL, real threads, one connection each):
exactly what the balance allows is debited, nothing more."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from portal.vouchers import services
from portal.vouchers.models import Claim, LedgerEntry
from portal.vouchers.selectors import balance_of
from tests import factories

CLAIMS = 30


@pytest.fixture
def recorder(db):
    # Not `hospital_admin`: transactional tests truncate the tables, including the
    # role groups that data migrations create, so keep these tests independent of them.
    return factories.UserFactory(email="cashier@example.com")
EACH = 150  # HK$2,000 allows 13 claims of HK$150 (HK$1,950), leaving HK$50


def _run_concurrently(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def worker(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_overspend(elder, recorder, department, rates):
    account = services.account_open(user=elder)
    claims = [
        Claim.objects.create(
            account=account, hospital=department.hospital, department=department, service_date=timezone.localdate(),
            amount_rmb=Decimal(EACH), exchange_rate=rates[0], fee_hkd=Decimal(EACH), voucher_amount=EACH,
            recorded_by=recorder, expires_at=timezone.now() + timezone.timedelta(hours=1), code_hash="x")
        for _ in range(CLAIMS)
    ]
    results = _run_concurrently([
        (lambda claim_id=claim.pk: services.claim_confirm(actor=elder, claim_id=claim_id)) for claim in claims
    ])
    confirmed = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(confirmed) == 2000 // EACH and len(refused) == CLAIMS - 2000 // EACH, results
    assert all(error.code == "insufficient_balance" for error in refused)
    assert balance_of(account) == 2000 % EACH
    assert account.entries.aggregate(total=Sum("amount_hkd"))["total"] == 2000 % EACH
    assert Claim.objects.filter(status=Claim.Status.CONFIRMED).count() == len(confirmed)
    assert LedgerEntry.objects.filter(kind="claim").count() == len(confirmed)
    assert list(account.entries.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, len(confirmed) + 2))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allotment_runs_credit_once(elder):
    results = _run_concurrently([lambda: services.allotments_run(year=2026) for _ in range(20)])
    assert sum(r for r in results if isinstance(r, int)) == 1, results
    assert LedgerEntry.objects.filter(kind="allotment", allotment_year=2026).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_row_lock_the_database_constraints_still_hold(elder, recorder, department, rates,
                                                                          monkeypatch):
    """Control run: with the account lock switched off, concurrent writers race
    for the same sequence number; UNIQUE (account, sequence) and
    CHECK (balance_after >= 0) turn every lost race into an error instead of an
    overspend, so the ledger stays consistent (but claims fail that the lock
    would have let through, which is why the services lock)."""
    from django.db import IntegrityError

    from portal.vouchers.models import VoucherAccount

    account = services.account_open(user=elder)
    claims = [
        Claim.objects.create(
            account=account, hospital=department.hospital, department=department, service_date=timezone.localdate(),
            amount_rmb=Decimal(EACH), exchange_rate=rates[0], fee_hkd=Decimal(EACH), voucher_amount=EACH,
            recorded_by=recorder, expires_at=timezone.now() + timezone.timedelta(hours=1), code_hash="x")
        for _ in range(CLAIMS)
    ]
    monkeypatch.setattr(services, "_lock", lambda account_id: VoucherAccount.objects.get(pk=account_id))
    results = _run_concurrently([
        (lambda claim_id=claim.pk: services.claim_confirm(actor=elder, claim_id=claim_id)) for claim in claims
    ])
    confirmed = [r for r in results if isinstance(r, Claim)]
    assert all(isinstance(r, Claim | ValidationError | IntegrityError) for r in results), results
    total = account.entries.aggregate(total=Sum("amount_hkd"))["total"]
    assert balance_of(account) == total == 2000 - EACH * len(confirmed) >= 0
    assert LedgerEntry.objects.filter(kind="claim").count() == len(confirmed) <= 2000 // EACH
