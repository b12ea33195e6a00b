"""The voucher system simulator (SimulatedVoucherRegistry) over its tables: opening on
first use, claims and voids, rewards, spouse sharing, the eligibility documents,
the database guards, and the same properties as the pure rules through its doors."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from portal.vouchers import registry as registries
from portal.vouchers.models import SimulatedAccount, SimulatedReward, SimulatedTransaction
from portal.vouchers.simulator import SimulatedVoucherRegistry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def holder(number="A123456(3)", born=date(1950, 5, 1), kind="hkid"):
    return registries.Holder(kind, number, born)


@pytest.fixture
def sim():
    return SimulatedVoucherRegistry()


def test_it_is_labelled_as_a_simulator(sim):
    assert sim.is_simulator and "simulator" in str(sim.name).lower()
    assert isinstance(sim, registries.VoucherRegistry)


def test_a_balance_read_writes_nothing(sim):
    balance = sim.balance(holder(), on=TODAY)
    assert (balance.own_hkd, balance.reward_hkd, balance.spouse_hkd) == (8000, 0, None)
    assert balance.is_simulator and balance.source == str(sim.name)
    assert not SimulatedAccount.objects.exists()


def test_a_claim_opens_the_account_with_every_year_since_65_and_takes_the_vouchers(sim):
    receipt = sim.submit_claim(holder(), amount_hkd=108, designated_primary_care=False, reference="c-1", on=TODAY)
    assert (receipt.own_hkd, receipt.spouse_hkd, receipt.balance.own_hkd) == (108, 0, 7892)
    account = SimulatedAccount.objects.get()
    assert account.own_hkd == 7892 and account.advanced_to == TODAY
    kinds = list(account.transactions.values_list("kind", flat=True))
    assert kinds.count("allotment") == 12 and kinds[-1] == "claim"  # 2015 to 2026
    assert sim.balance(holder(), on=TODAY).own_hkd == 7892
    history = sim.history(holder(), on=TODAY)
    assert history[0].kind == "claim" and history[0].own_hkd == -108 and history[0].reference == "c-1"


def test_a_certificate_of_exemption_holder_uses_vouchers(sim):
    coe = holder(number="CE123456/78", kind="coe")
    receipt = sim.submit_claim(coe, amount_hkd=500, designated_primary_care=False, reference="coe-1", on=TODAY)
    assert receipt.balance.own_hkd == 7500


@pytest.mark.parametrize(("kind", "born", "code"), [("macao_id", date(1950, 1, 1), "document"),
                                                    ("hkid", date(1970, 1, 1), "not_eligible")])
def test_other_documents_and_the_young_are_refused(sim, kind, born, code):
    with pytest.raises(registries.RegistryError) as refused:
        sim.submit_claim(holder(kind=kind, born=born, number="1234567(8)" if kind == "macao_id" else "A123456(3)"),
                         amount_hkd=10, designated_primary_care=False, reference="x", on=TODAY)
    assert refused.value.code == code and not SimulatedTransaction.objects.exists()


def test_not_enough_vouchers_takes_nothing(sim):
    sim.submit_claim(holder(), amount_hkd=7900, designated_primary_care=False, reference="big", on=TODAY)
    count = SimulatedTransaction.objects.count()
    with pytest.raises(registries.InsufficientVouchers) as short:
        sim.submit_claim(holder(), amount_hkd=200, designated_primary_care=False, reference="more", on=TODAY)
    assert short.value.code == "insufficient_balance" and short.value.available == 100
    assert "HK$200" in short.value.messages[0] and "simulator" in short.value.messages[0]
    assert SimulatedTransaction.objects.count() == count


def test_reward_credited_once_and_used_first_for_primary_care(sim):
    elder = holder()
    sim.submit_claim(elder, amount_hkd=1000, designated_primary_care=True, reference="p-1", on=TODAY)
    status = sim.reward_status(elder, on=TODAY)
    assert status.granted_this_year and status.designated_spent_hkd == 1000
    assert [(lot.year, lot.remaining_hkd, lot.expires_on) for lot in status.lots] == [(2026, 500, date(2027, 12, 31))]
    receipt = sim.submit_claim(elder, amount_hkd=1200, designated_primary_care=True, reference="p-2", on=TODAY)
    assert (receipt.reward_hkd, receipt.own_hkd) == (500, 700)
    assert SimulatedReward.objects.filter(year=2026).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        SimulatedReward.objects.create(account=SimulatedAccount.objects.get(), year=2026, amount_hkd=500,
                                       remaining_hkd=500, expires_on=date(2027, 12, 31))


def test_spouse_sharing_after_ones_own_vouchers(sim):
    me, spouse = holder(), holder(number="C668668(9)", born=date(1953, 1, 1))
    sim.link_spouses(me, spouse, on=TODAY)
    assert sim.spouse_link(me).masked_number == "C****68(*)"
    sim.submit_claim(me, amount_hkd=7900, designated_primary_care=False, reference="a", on=TODAY)
    receipt = sim.submit_claim(me, amount_hkd=300, designated_primary_care=False, reference="b", on=TODAY)
    assert (receipt.own_hkd, receipt.spouse_hkd) == (100, 200)
    assert sim.balance(spouse, on=TODAY).own_hkd == 7800 and receipt.balance.spouse_hkd == 7800
    sim.void_claim(me, reference="b", on=TODAY)
    assert sim.balance(spouse, on=TODAY).own_hkd == 8000 and sim.balance(me, on=TODAY).own_hkd == 100
    with pytest.raises(registries.RegistryError):
        sim.void_claim(me, reference="b", on=TODAY)  # not twice


def test_an_account_cannot_be_its_own_spouse_in_the_database(sim):
    sim.submit_claim(holder(), amount_hkd=1, designated_primary_care=False, reference="a", on=TODAY)
    account = SimulatedAccount.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SimulatedAccount.objects.filter(pk=account.pk).update(spouse=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        SimulatedAccount.objects.filter(pk=account.pk).update(own_hkd=-1)


def test_later_years_bring_allotments_and_expire_rewards(sim):
    elder = holder()
    sim.submit_claim(elder, amount_hkd=2500, designated_primary_care=True, reference="p", on=TODAY)
    later = date(2028, 1, 3)
    balance = sim.balance(elder, on=later)
    assert balance.own_hkd == 8000 and balance.reward_hkd == 0
    assert "reward_expired" in [item.kind for item in sim.history(elder, on=later)]


# --- The properties, through the simulator's own doors ---------------------------------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("days"), st.integers(min_value=0, max_value=400)),
        st.tuples(st.just("claim"), st.sampled_from(["me", "spouse"]), st.integers(min_value=1, max_value=6000),
                  st.booleans()),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=20)),
    ),
    max_size=12,
)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=steps, linked=st.booleans())
def test_simulated_balances_stay_within_the_rules(ops, linked, sim):
    SimulatedAccount.objects.all().delete()  # one example's accounts must not leak into the next
    people = {"me": holder(), "spouse": holder(number="C668668(9)", born=date(1955, 3, 1))}
    on = date(2025, 12, 20)
    if linked:
        sim.link_spouses(people["me"], people["spouse"], on=on)
    done: list[tuple[str, str]] = []
    for index, op in enumerate(ops):
        if op[0] == "days":
            on += timedelta(days=op[1])
        elif op[0] == "claim":
            who, amount, designated = op[1:]
            try:
                receipt = sim.submit_claim(people[who], amount_hkd=amount, designated_primary_care=designated,
                                           reference=f"r{index}", on=on)
            except registries.InsufficientVouchers:
                continue
            if receipt.spouse_hkd:
                assert linked and receipt.balance.own_hkd == 0
                assert not designated or receipt.balance.reward_hkd <= sim.scheme.reward  # only what this claim earned
            done.append((who, f"r{index}"))
        elif done:
            who, reference = done.pop(op[1] % len(done))
            sim.void_claim(people[who], reference=reference, on=on)
        for person in people.values():
            balance = sim.balance(person, on=on)
            assert 0 <= balance.own_hkd <= sim.scheme.cap
            assert 0 <= balance.reward_hkd <= 2 * sim.scheme.reward
    for account in SimulatedAccount.objects.all():
        years = list(account.rewards.values_list("year", flat=True))
        assert len(years) == len(set(years))
        assert account.transactions.filter(kind="reward").count() == len(years)
