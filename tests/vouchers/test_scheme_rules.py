"""The voucher system's rules (rules.advance / debit / restore), which the simulator
applies: examples, then property-based runs over random sequences of days,
claims and voids for an elder and a linked spouse."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from portal.vouchers import rules

SCHEME = rules.Scheme()  # the published figures


def opened(born: date, on: date) -> rules.AccountState:
    state, _moves = rules.advance(rules.opening_state(born, eligible_age=65), on, SCHEME)
    return state


# --- Examples --------------------------------------------------------------------------


def test_a_first_time_76_year_old_has_every_year_since_65_up_to_the_cap():
    state = opened(date(1950, 5, 1), date(2026, 6, 1))  # 65 in 2015
    assert state.own == 8000


def test_the_year_one_turns_65_brings_the_first_2000():
    assert opened(date(1961, 12, 31), date(2026, 1, 1)).own == 2000
    younger = opened(date(1961, 12, 31), date(2025, 12, 31))
    assert younger.own == 0
    with pytest.raises(rules.NotEligible):
        rules.debit(younger, None, amount=1, designated=False, on=date(2025, 12, 31), scheme=SCHEME)


def test_the_yearly_amount_stops_at_the_cap_and_says_what_was_lost():
    state = replace(opened(date(1950, 1, 1), date(2026, 3, 1)), own=7500)
    state, moves = rules.advance(state, date(2027, 1, 1), SCHEME)
    assert state.own == 8000
    assert [(m.kind, m.own, m.detail) for m in moves] == [("allotment", 500, 1500)]


def test_reward_once_a_year_after_1000_on_designated_primary_care_and_kept_apart_from_the_cap():
    on = date(2026, 3, 2)
    state = opened(date(1950, 1, 1), on)  # 8000, at the cap
    state, _s, _split, moves, _t = rules.debit(state, None, amount=600, designated=True, on=on, scheme=SCHEME)
    assert state.reward_available() == 0 and state.designated_spent == 600
    state, _s, _split, moves, _t = rules.debit(state, None, amount=400, designated=True, on=on, scheme=SCHEME)
    assert [m.kind for m in moves] == ["claim", "reward"]
    assert state.reward_available() == 500 and state.rewards[0].expires_on == date(2027, 12, 31)
    assert state.own == 7000  # the reward sits beside own vouchers
    state, _s, _split, moves, _t = rules.debit(state, None, amount=1000, designated=False, on=on, scheme=SCHEME)
    state, _s, _split, moves, _t = rules.debit(state, None, amount=1200, designated=True, on=on, scheme=SCHEME)
    assert "reward" not in [m.kind for m in moves]  # not twice in 2026
    # Next year's allotment tops own vouchers up to the cap; the reward stays apart.
    state, _moves = rules.advance(state, date(2027, 1, 2), SCHEME)
    assert state.own == min(8000, state.own) and state.own + state.reward_available() <= 8000 + 500


def test_designated_claims_use_reward_vouchers_first_and_others_cannot():
    on = date(2026, 5, 1)
    state = replace(opened(date(1950, 1, 1), on), own=100,
                    rewards=(rules.RewardLot(2025, 500, 500, date(2026, 12, 31)),), rewarded_years=frozenset({2025}))
    with pytest.raises(rules.NotEnoughVouchers):
        rules.debit(state, None, amount=200, designated=False, on=on, scheme=SCHEME)
    state, _s, split, _m, _t = rules.debit(state, None, amount=200, designated=True, on=on, scheme=SCHEME)
    assert (split.reward, split.own) == (200, 0) and state.own == 100


def test_rewards_expire_at_the_end_of_the_next_year():
    on = date(2026, 5, 1)
    state = replace(opened(date(1950, 1, 1), on), rewards=(rules.RewardLot(2025, 500, 300, date(2026, 12, 31)),),
                    rewarded_years=frozenset({2025}))
    kept, _moves = rules.advance(state, date(2026, 12, 31), SCHEME)
    assert kept.reward_available() == 300
    gone, moves = rules.advance(state, date(2027, 1, 1), SCHEME)
    assert gone.reward_available() == 0 and ("reward_expired", -300) in [(m.kind, m.reward) for m in moves]


@pytest.mark.parametrize(("on", "granted"), [
    (date(2023, 11, 12), False), (date(2023, 11, 13), True), (date(2028, 12, 31), True), (date(2029, 1, 1), False)])
def test_the_reward_pilot_runs_from_13_november_2023_to_the_end_of_2028(on, granted):
    state = opened(date(1950, 1, 1), on)
    state, _s, _split, moves, _t = rules.debit(state, None, amount=1000, designated=True, on=on, scheme=SCHEME)
    assert ("reward" in [m.kind for m in moves]) is granted


def test_spouse_vouchers_only_once_ones_own_are_spent():
    on = date(2026, 5, 1)
    mine = replace(opened(date(1950, 1, 1), on), own=100)
    theirs = replace(opened(date(1952, 1, 1), on), own=5000)
    mine, theirs, split, my_moves, their_moves = rules.debit(mine, theirs, amount=300, designated=False, on=on,
                                                             scheme=SCHEME)
    assert (split.own, split.spouse, mine.own, theirs.own) == (100, 200, 0, 4800)
    assert [(m.kind, m.own) for m in their_moves] == [("spouse_use", -200)]
    with pytest.raises(rules.NotEnoughVouchers) as short:
        rules.debit(mine, theirs, amount=4801, designated=False, on=on, scheme=SCHEME)
    assert short.value.available == 4800


def test_a_void_gives_back_to_where_it_came_from_but_never_above_the_cap():
    on = date(2026, 5, 1)
    mine = replace(opened(date(1950, 1, 1), on), own=1000)
    theirs = replace(opened(date(1952, 1, 1), on), own=8000)
    mine, theirs, split, _m, _t = rules.debit(mine, theirs, amount=1500, designated=False, on=on, scheme=SCHEME)
    theirs = replace(theirs, own=8000)  # topped up meanwhile
    mine, theirs, my_moves, their_moves = rules.restore(mine, theirs, split=split, designated=False, claim_on=on,
                                                        on=on, scheme=SCHEME)
    assert mine.own == 1000 and theirs.own == 8000
    assert ("forfeit", 500) in [(m.kind, m.detail) for m in their_moves]


# --- Properties ---------------------------------------------------------------------------

operations = st.lists(
    st.one_of(
        st.tuples(st.just("days"), st.integers(min_value=0, max_value=500)),
        st.tuples(st.just("claim"), st.sampled_from(["me", "spouse"]), st.integers(min_value=1, max_value=9000),
                  st.booleans()),
        st.tuples(st.just("void"), st.integers(min_value=0, max_value=50)),
    ),
    max_size=40,
)


@hsettings(max_examples=300, deadline=None)
@given(ops=operations, born_me=st.integers(min_value=1930, max_value=1965),
       born_spouse=st.integers(min_value=1930, max_value=1965), linked=st.booleans(),
       start=st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31)))
def test_balances_stay_within_the_rules_whatever_happens(ops, born_me, born_spouse, linked, start):
    on = start
    states = {"me": opened(date(born_me, 6, 1), on), "spouse": opened(date(born_spouse, 6, 1), on)}
    own_total = {who: state.own for who, state in states.items()}  # movements must add up to the own vouchers
    rewards_granted: dict[tuple[str, int], int] = {}
    claims: list[tuple[str, rules.Split, bool, date]] = []
    for op in ops:
        if op[0] == "days":
            on = on + timedelta(days=op[1])
            for who in states:
                states[who], moves = rules.advance(states[who], on, SCHEME)
                own_total[who] += sum(m.own for m in moves)
        elif op[0] == "claim":
            _kind, who, amount, designated = op
            other = "spouse" if who == "me" else "me"
            before = dict(states)
            partner = states[other] if linked else None
            try:
                mine, theirs, split, my_moves, their_moves = rules.debit(
                    states[who], partner, amount=amount, designated=designated, on=on, scheme=SCHEME)
            except rules.NotEligible:
                assert on.year < states[who].first_year and states == before
                continue
            except rules.NotEnoughVouchers as short:
                assert amount > states[who].available(designated) + (partner.own if partner else 0) == short.available
                assert states == before  # nothing changed
                continue
            assert split.total == amount
            if split.spouse:
                # The spouse is drawn on only once one's own usable vouchers are spent
                # (a reward this very claim earned comes after it).
                earned_now = {m.reward_year for m in my_moves if m.kind == "reward"}
                left_over = sum(lot.remaining for lot in mine.rewards if lot.year not in earned_now)
                assert mine.own == 0 and (not designated or left_over == 0)
            states[who] = mine
            own_total[who] += sum(m.own for m in my_moves)
            if linked:
                states[other] = theirs
                own_total[other] += sum(m.own for m in their_moves)
            for move in my_moves:
                if move.kind == "reward":
                    rewards_granted[(who, move.reward_year)] = rewards_granted.get((who, move.reward_year), 0) + 1
            claims.append((who, split, designated, on))
        elif claims:
            who, split, designated, claim_on = claims.pop(op[1] % len(claims))
            other = "spouse" if who == "me" else "me"
            partner = states[other] if linked else None
            mine, theirs, my_moves, their_moves = rules.restore(
                states[who], partner, split=split, designated=designated, claim_on=claim_on, on=on, scheme=SCHEME)
            states[who] = mine
            own_total[who] += sum(m.own for m in my_moves)
            if linked:
                states[other] = theirs
                own_total[other] += sum(m.own for m in their_moves)
        for who, state in states.items():
            unexpired = sum(lot.remaining for lot in state.rewards if lot.expires_on >= on)
            balance = state.own + state.reward_available()
            # Never above the cap plus any unexpired reward, never negative.
            assert 0 <= balance <= SCHEME.cap + unexpired
            assert 0 <= state.own <= SCHEME.cap
            assert all(0 <= lot.remaining <= lot.amount == SCHEME.reward for lot in state.rewards)
            assert all(lot.expires_on >= state.advanced_to for lot in state.rewards)
            assert len({lot.year for lot in state.rewards}) == len(state.rewards)
            assert state.own == own_total[who]
    # The reward at most once a calendar year, per person.
    assert all(count == 1 for count in rewards_granted.values())
