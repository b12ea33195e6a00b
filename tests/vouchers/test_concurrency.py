"""Concurrent confirmations of one elder's claims (PostgreSQL, real threads, one
connection each), submitted to the voucher system simulator: exactly what the
balance allows is taken, nothing more; and a control run without the simulator's
account lock, where its database guards turn every lost race into an error."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.models import Sum
from django.utils import timezone

from portal.vouchers import registry, services
from portal.vouchers.models import Claim, SimulatedAccount, SimulatedTransaction
from portal.vouchers.simulator import SimulatedVoucherRegistry
from tests import factories

CLAIMS = 30
EACH = 300  # HK$8,000 allows 26 claims of HK$300 (HK$7,800), leaving HK$200
ALLOWED = 8000 // EACH


@pytest.fixture
def recorder(db):
    # Not `hospital_admin`: transactional tests truncate the tables, including the
    # role groups that data migrations create, so keep these tests independent of them.
    return factories.UserFactory(email="cashier@example.com")


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


def _claims(elder, recorder, department, rates):
    account = services.account_open(user=elder)
    return [
        Claim.objects.create(
            account=account, hospital=department.hospital, department=department, service_date=timezone.localdate(),
            amount_rmb=Decimal(EACH), exchange_rate=rates[0], fee_hkd=Decimal(EACH), voucher_amount=EACH,
            recorded_by=recorder, expires_at=timezone.now() + timezone.timedelta(hours=1), code_hash="x")
        for _ in range(CLAIMS)
    ]


def _own_total(account_id) -> int:
    return SimulatedTransaction.objects.filter(account_id=account_id).aggregate(total=Sum("own_hkd"))["total"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_never_overspend(elder, recorder, department, rates, simulator):
    claims = _claims(elder, recorder, department, rates)
    results = _run_concurrently([
        (lambda claim_id=claim.pk: services.claim_confirm(actor=elder, claim_id=claim_id)) for claim in claims
    ])
    confirmed = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(confirmed) == ALLOWED and len(refused) == CLAIMS - ALLOWED, results
    assert all(error.code == "insufficient_balance" for error in refused)
    account = SimulatedAccount.objects.get()  # opened once, although 30 requests raced to open it
    assert account.own_hkd == _own_total(account.pk) == 8000 % EACH
    assert simulator.balance(registry.holder_of(elder)).own_hkd == 8000 % EACH
    assert Claim.objects.filter(status=Claim.Status.CONFIRMED).count() == ALLOWED
    assert SimulatedTransaction.objects.filter(kind="claim").count() == ALLOWED
    assert list(account.transactions.order_by("sequence").values_list("sequence", flat=True)) == list(
        range(1, account.sequence + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_simulators_guards_still_hold(elder, recorder, department, rates, simulator,
                                                                  monkeypatch):
    """Control run: with the account lock switched off, concurrent writers read the
    same state and race for the same sequence number; UNIQUE (account, sequence)
    and the conditional update of the account row turn every lost race into an
    error instead of an overspend, so the records stay consistent (but claims fail
    that the lock would have let through, which is why the simulator locks)."""
    claims = _claims(elder, recorder, department, rates)
    simulator._open(registry.holder_of(elder))  # the race under test is the spending, not the opening
    monkeypatch.setattr(SimulatedVoucherRegistry, "_lock", lambda self, ids: {
        row.pk: row for row in SimulatedAccount.objects.filter(pk__in=ids)})
    results = _run_concurrently([
        (lambda claim_id=claim.pk: services.claim_confirm(actor=elder, claim_id=claim_id)) for claim in claims
    ])
    confirmed = [r for r in results if isinstance(r, Claim)]
    assert all(isinstance(r, Claim | ValidationError | IntegrityError) for r in results), results
    assert any(isinstance(r, IntegrityError) for r in results), "the race did not happen: the control proves nothing"
    account = SimulatedAccount.objects.get()
    assert account.own_hkd == _own_total(account.pk) == 8000 - EACH * len(confirmed) >= 0
    assert SimulatedTransaction.objects.filter(kind="claim").count() == len(confirmed) <= ALLOWED
