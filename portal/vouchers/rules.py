"""The Elderly Health Care Voucher Scheme's rules as pure functions (no database),
so they can be tested on their own. See docs/vouchers.md for the plain-language
version and docs/domain/FACTS.md for the sources.

Two groups of rules live here:

1. What the portal itself decides: who may use vouchers (eligibility), and how a
   fee charged in RMB becomes a number of vouchers.
2. How the Department of Health's voucher system moves an elder's vouchers:
   the yearly allotment and its cap, the reward pilot, spouse sharing. The portal
   never keeps an elder's balance (the system of record does, see registry.py);
   these rules exist for the voucher system simulator (simulator.py), which the
   demo and the tests use in its place. They are written as a small state
   machine over `AccountState` so that property-based tests can drive them.

Eligibility rule: a person is eligible in calendar year Y if their profile holds
a Hong Kong identity card or a Certificate of Exemption and their date of birth
is in year Y - 65 or earlier. The scheme counts the calendar year in which a
person reaches 65, so someone born on 8 March 1961 is eligible from 1 January
2026 (before the birthday itself), and not on 31 December 2025.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.accounts import identity

CENT = Decimal("0.01")
DOLLAR = Decimal("1")

# The documents the scheme accepts as proof of eligibility.
VOUCHER_DOCUMENTS = frozenset({identity.HKID, identity.CERTIFICATE_OF_EXEMPTION})

# Why someone is not eligible, in plain words.
REASONS = {
    "no_profile": _("We do not have your personal details yet. Add your date of birth and your Hong Kong identity card or Certificate of Exemption number on your account page."),
    "no_hkid": _("Elderly Health Care Vouchers are for holders of a Hong Kong identity card or a Certificate of Exemption. Your account has neither number."),
    "no_date_of_birth": _("We need your date of birth to check your age. Add it on your account page."),
    "too_young": _("Vouchers start in the calendar year you turn 65. You can use them from 1 January %(year)s."),
}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str = ""
    first_year: int | None = None

    @property
    def message(self) -> str:
        if self.eligible:
            return ""
        text = REASONS[self.reason]
        if self.reason == "too_young":
            return str(text) % {"year": self.first_year}
        return str(text)


def first_eligible_year(date_of_birth: date) -> int:
    return date_of_birth.year + settings.VOUCHER_ELIGIBLE_AGE


def document_qualifies(document_type: str, number: str) -> bool:
    return document_type in VOUCHER_DOCUMENTS and bool(number)


def eligibility(profile, on: date) -> Eligibility:
    """Eligibility of a resident profile (or None) on a given day."""
    if profile is None:
        return Eligibility(False, "no_profile")
    if not document_qualifies(profile.id_document_type, profile.id_document_number):
        return Eligibility(False, "no_hkid")
    if profile.date_of_birth is None:
        return Eligibility(False, "no_date_of_birth")
    first_year = first_eligible_year(profile.date_of_birth)
    if on.year < first_year:
        return Eligibility(False, "too_young", first_year)
    return Eligibility(True, first_year=first_year)


def fee_in_hkd(amount_rmb: Decimal, hkd_per_rmb: Decimal) -> Decimal:
    """HKD = RMB x rate, rounded half-up to the cent."""
    return (Decimal(amount_rmb) * Decimal(hkd_per_rmb)).quantize(CENT, rounding=ROUND_HALF_UP)


def vouchers_for_fee(fee_hkd: Decimal) -> int:
    """Vouchers have a face value of HK$1: a claim uses the fee's whole dollars
    (rounded down), never more than the fee is worth."""
    return int(Decimal(fee_hkd).quantize(DOLLAR, rounding=ROUND_DOWN))


# --- The voucher system's rules (for the simulator) -------------------------------------


@dataclass(frozen=True)
class Scheme:
    """The scheme's figures; `Scheme.current()` reads them from settings (the
    defaults are the published values, see docs/domain/FACTS.md)."""

    annual: int = 2000
    cap: int = 8000
    reward: int = 500
    reward_threshold: int = 1000
    reward_first_day: date = date(2023, 11, 13)
    reward_last_day: date = date(2028, 12, 31)

    @classmethod
    def current(cls) -> Scheme:
        return cls(
            annual=settings.VOUCHER_ANNUAL_AMOUNT_HKD, cap=settings.VOUCHER_ACCUMULATION_CAP_HKD,
            reward=settings.VOUCHER_REWARD_HKD, reward_threshold=settings.VOUCHER_REWARD_THRESHOLD_HKD,
            reward_first_day=date.fromisoformat(settings.VOUCHER_REWARD_FIRST_DAY),
            reward_last_day=date.fromisoformat(settings.VOUCHER_REWARD_LAST_DAY),
        )

    def reward_applies(self, on: date) -> bool:
        return self.reward_first_day <= on <= self.reward_last_day


@dataclass(frozen=True)
class RewardLot:
    """One reward: earned by spending in `year`, usable on designated primary-care
    purposes until `expires_on` (the end of the next year), kept apart from the cap."""

    year: int
    amount: int
    remaining: int
    expires_on: date


@dataclass(frozen=True)
class AccountState:
    first_year: int                      # the calendar year the holder turns 65
    allotted_through: int                # the last year whose allotment has been credited
    advanced_to: date                    # the day the state was last brought up to
    own: int = 0                         # own vouchers (never above the cap)
    rewards: tuple[RewardLot, ...] = ()  # unexpired reward lots, earliest expiry first
    rewarded_years: frozenset[int] = field(default_factory=frozenset)
    designated_year: int = 0             # the year `designated_spent` counts
    designated_spent: int = 0            # vouchers used on designated primary care in that year

    def reward_available(self) -> int:
        return sum(lot.remaining for lot in self.rewards)

    def available(self, designated: bool) -> int:
        """What a claim may use from this account itself: reward vouchers only
        for designated primary-care purposes."""
        return self.own + (self.reward_available() if designated else 0)


@dataclass(frozen=True)
class Movement:
    """One change to an account, as the voucher system would list it."""

    kind: str          # allotment, reward, reward_expired, claim, spouse_use, void, spouse_void, forfeit
    on: date
    own: int = 0       # signed change of own vouchers
    reward: int = 0    # signed change of reward vouchers
    spouse: int = 0    # claim: vouchers taken from the spouse's account for it
    reward_year: int | None = None
    detail: int = 0    # allotment: the part of the yearly amount lost to the cap; forfeit: the amount lost
    designated: bool = False  # claim: for designated primary-care purposes


@dataclass(frozen=True)
class Split:
    """Where a claim's vouchers came from."""

    rewards: tuple[tuple[int, int], ...] = ()  # (reward year, amount) pairs
    own: int = 0
    spouse: int = 0

    @property
    def reward(self) -> int:
        return sum(amount for _year, amount in self.rewards)

    @property
    def total(self) -> int:
        return self.reward + self.own + self.spouse


class NotEligible(Exception):
    """A claim on the account of someone who does not turn 65 until a later year."""


class NotEnoughVouchers(Exception):
    def __init__(self, needed: int, available: int):
        super().__init__(f"needed {needed}, available {available}")
        self.needed, self.available = needed, available


def opening_state(date_of_birth: date, *, eligible_age: int | None = None) -> AccountState:
    """A holder's account before anything has happened to it."""
    age = settings.VOUCHER_ELIGIBLE_AGE if eligible_age is None else eligible_age
    first_year = date_of_birth.year + age
    return AccountState(first_year=first_year, allotted_through=first_year - 1, advanced_to=date.min)


def _expire(state: AccountState, before: date, movements: list[Movement]) -> AccountState:
    kept = []
    for lot in state.rewards:
        if lot.expires_on < before:
            if lot.remaining:
                movements.append(Movement("reward_expired", lot.expires_on, reward=-lot.remaining, reward_year=lot.year))
        else:
            kept.append(lot)
    return replace(state, rewards=tuple(kept)) if len(kept) != len(state.rewards) else state


def advance(state: AccountState, on: date, scheme: Scheme) -> tuple[AccountState, list[Movement]]:
    """Bring an account up to day `on`: each 1 January from the year the holder
    turns 65 credits the yearly amount, never lifting own vouchers above the cap;
    rewards past their expiry lapse. Never goes back in time."""
    movements: list[Movement] = []
    if on <= state.advanced_to:
        return state, movements
    for year in range(max(state.allotted_through + 1, state.first_year), on.year + 1):
        state = _expire(state, date(year, 1, 1), movements)
        credit = max(0, min(scheme.annual, scheme.cap - state.own))
        movements.append(Movement("allotment", date(year, 1, 1), own=credit, detail=scheme.annual - credit))
        state = replace(state, own=state.own + credit, allotted_through=year)
    state = _expire(state, on, movements)
    return replace(state, advanced_to=on), movements


def debit(state: AccountState, spouse: AccountState | None, *, amount: int, designated: bool, on: date,
          scheme: Scheme) -> tuple[AccountState, AccountState | None, Split, list[Movement], list[Movement]]:
    """Use `amount` vouchers for a claim on day `on` (both accounts already
    advanced to `on`). Order: for designated primary-care purposes the reward
    vouchers first (earliest expiry first, since they lapse), then own vouchers;
    the spouse's own vouchers only once this account's are spent. Returns the
    new states, the split, and each account's movements. Raises NotEligible before
    the year the holder turns 65, and NotEnoughVouchers if the two accounts together
    cannot pay; then nothing changes."""
    if amount <= 0:
        raise ValueError("a claim uses at least one voucher")
    if on.year < state.first_year:
        raise NotEligible(state.first_year)
    spouse_available = spouse.own if spouse is not None else 0
    available = state.available(designated) + spouse_available
    if amount > available:
        raise NotEnoughVouchers(amount, available)
    left = amount
    lots, taken = [], []
    for lot in state.rewards:
        use = min(lot.remaining, left) if designated else 0
        if use:
            taken.append((lot.year, use))
            left -= use
        lots.append(replace(lot, remaining=lot.remaining - use))
    own = min(state.own, left)
    left -= own
    from_spouse = left
    split = Split(rewards=tuple(taken), own=own, spouse=from_spouse)
    new_state = replace(state, own=state.own - own, rewards=tuple(lots))
    # One movement for the own and spouse parts, one for each reward lot drawn on
    # (a void gives each back to its own lot).
    mine = [Movement("claim", on, own=-own, spouse=from_spouse, designated=designated)]
    mine += [Movement("claim", on, reward=-use, reward_year=year, designated=designated) for year, use in taken]
    theirs: list[Movement] = []
    new_spouse = spouse
    if from_spouse:
        new_spouse = replace(spouse, own=spouse.own - from_spouse)
        theirs.append(Movement("spouse_use", on, own=-from_spouse))
    if designated and scheme.reward_applies(on):
        spent = (new_state.designated_spent if new_state.designated_year == on.year else 0) + amount
        new_state = replace(new_state, designated_year=on.year, designated_spent=spent)
        if spent >= scheme.reward_threshold and on.year not in new_state.rewarded_years:
            lot = RewardLot(year=on.year, amount=scheme.reward, remaining=scheme.reward,
                            expires_on=date(on.year + 1, 12, 31))
            rewards = tuple(sorted((*new_state.rewards, lot), key=lambda item: (item.expires_on, item.year)))
            new_state = replace(new_state, rewards=rewards, rewarded_years=new_state.rewarded_years | {on.year})
            mine.append(Movement("reward", on, reward=scheme.reward, reward_year=on.year))
    return new_state, new_spouse, split, mine, theirs


def restore(state: AccountState, spouse: AccountState | None, *, split: Split, designated: bool, claim_on: date,
            on: date, scheme: Scheme) -> tuple[AccountState, AccountState | None, list[Movement], list[Movement]]:
    """Give back a voided claim's vouchers on day `on`, to where they came from:
    own vouchers up to the cap (the rest is forfeited, as an allotment would be),
    reward vouchers to their lot if it has not expired, the spouse's to the
    spouse up to the cap. The claim no longer counts toward the reward; a reward
    already credited stays."""
    mine: list[Movement] = []
    theirs: list[Movement] = []
    own_back = max(0, min(split.own, scheme.cap - state.own))
    lots = {lot.year: lot for lot in state.rewards}
    reward_back = 0
    for year, amount in split.rewards:
        lot = lots.get(year)
        if lot is not None and lot.expires_on >= on:
            back = min(amount, lot.amount - lot.remaining)
            lots[year] = replace(lot, remaining=lot.remaining + back)
            reward_back += back
    rewards = tuple(sorted(lots.values(), key=lambda item: (item.expires_on, item.year)))
    spent = state.designated_spent
    if designated and state.designated_year == claim_on.year:
        spent = max(0, spent - split.total)
    state = replace(state, own=state.own + own_back, rewards=rewards, designated_spent=spent)
    mine.append(Movement("void", on, own=own_back, reward=reward_back))
    lost = split.own - own_back + split.reward - reward_back
    if lost:
        mine.append(Movement("forfeit", on, detail=lost))
    if split.spouse and spouse is None:  # the link has ended since: nothing to give back to
        mine.append(Movement("forfeit", on, detail=split.spouse))
    if split.spouse and spouse is not None:
        spouse_back = max(0, min(split.spouse, scheme.cap - spouse.own))
        spouse = replace(spouse, own=spouse.own + spouse_back)
        theirs.append(Movement("spouse_void", on, own=spouse_back))
        if split.spouse - spouse_back:
            theirs.append(Movement("forfeit", on, detail=split.spouse - spouse_back))
    return state, spouse, mine, theirs
