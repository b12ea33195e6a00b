"""SIMULATOR of the Department of Health's voucher system, for the demo and the tests.

This is not the elder's balance. `SimulatedVoucherRegistry` implements the
`registry.VoucherRegistry` interface over the Simulated* tables, applying the
scheme's rules from rules.py (the yearly HK$2,000 from the year the elder turns
65, the HK$8,000 cap, the reward pilot through 2028, spouse sharing after one's
own vouchers are spent, the HKID or Certificate of Exemption). Every figure it
returns carries the name "Voucher system simulator", and pages that show one
carry a visible notice (templates/vouchers/includes/registry_notice.html).

What it simplifies (docs/vouchers.md): today's rules are applied to every year
since the elder turned 65 (the real scheme started in 2009 with other amounts);
an account opens with its first use, as the real one does, with every yearly
amount since then up to the cap; each claim is dated on the day it is
submitted; the optometry limit is not simulated.

Concurrency: every write locks the holder's account row (and the spouse's, in
primary-key order) with SELECT ... FOR UPDATE; each transaction row takes the
next `sequence` of its account, unique per account, so writers that skipped the
lock fail instead of overspending.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import identity

from . import registry, rules
from .models import SimulatedAccount, SimulatedReward, SimulatedTransaction

Kind = SimulatedTransaction.Kind


def _state(account: SimulatedAccount, rewards: list[SimulatedReward]) -> rules.AccountState:
    return rules.AccountState(
        first_year=rules.first_eligible_year(account.date_of_birth), allotted_through=account.allotted_through,
        advanced_to=account.advanced_to, own=account.own_hkd,
        rewards=tuple(rules.RewardLot(year=r.year, amount=r.amount_hkd, remaining=r.remaining_hkd,
                                      expires_on=r.expires_on)
                      for r in rewards if r.expires_on >= account.advanced_to),
        rewarded_years=frozenset(r.year for r in rewards),
        designated_year=account.designated_year, designated_spent=account.designated_spent_hkd,
    )


def _blank(holder: registry.Holder) -> rules.AccountState:
    return rules.opening_state(holder.date_of_birth)


class SimulatedVoucherRegistry(registry.VoucherRegistry):
    """SIMULATOR of the voucher system (see the module docstring)."""

    name = _("Voucher system simulator")
    is_simulator = True

    def __init__(self, *, scheme: rules.Scheme | None = None):
        self.scheme = scheme or rules.Scheme.current()

    # --- reading ------------------------------------------------------------------

    def _account(self, holder: registry.Holder) -> SimulatedAccount | None:
        return (SimulatedAccount.objects.filter(document_type=holder.document_type,
                                                document_number=holder.document_number)
                .select_related("spouse").first())

    def _current(self, account: SimulatedAccount | None, holder: registry.Holder, on: date):
        """The state brought up to `on` in memory (nothing written) and the
        movements that brings, which a read shows as if they were recorded."""
        if account is None:
            state = _blank(holder)
        else:
            state = _state(account, list(account.rewards.all()))
        return rules.advance(state, on, self.scheme)

    def _balance(self, state: rules.AccountState, spouse_state: rules.AccountState | None) -> registry.Balance:
        expiring = [lot.expires_on for lot in state.rewards if lot.remaining]
        return registry.Balance(
            own_hkd=state.own, reward_hkd=state.reward_available(),
            reward_expires_on=min(expiring) if expiring else None,
            spouse_hkd=spouse_state.own if spouse_state is not None else None,
            as_of=timezone.now(), source=str(self.name), is_simulator=True,
        )

    def _check(self, holder: registry.Holder, on: date) -> None:
        if not rules.document_qualifies(holder.document_type, holder.document_number):
            raise registry.RegistryError(
                _("The voucher system accepts a Hong Kong identity card or a Certificate of Exemption."),
                code="document")
        if on.year < rules.first_eligible_year(holder.date_of_birth):
            raise registry.RegistryError(_("This person is not eligible for vouchers yet."), code="not_eligible")

    def balance(self, holder: registry.Holder, *, on: date | None = None) -> registry.Balance:
        on = on or timezone.localdate()
        account = self._account(holder)
        state, _moves = self._current(account, holder, on)
        spouse_state = None
        if account is not None and account.spouse is not None:
            spouse_state, _moves = self._current(account.spouse, None, on)
        return self._balance(state, spouse_state)

    def history(self, holder: registry.Holder, *, limit: int = 50, on: date | None = None) -> list[registry.HistoryItem]:
        on = on or timezone.localdate()
        account = self._account(holder)
        _state_now, pending = self._current(account, holder, on)
        items = [registry.HistoryItem(on=m.on, kind=m.kind, label=str(Kind(m.kind).label), own_hkd=m.own,
                                      reward_hkd=m.reward, spouse_hkd=m.spouse, detail_hkd=m.detail, reference="")
                 for m in reversed(pending)]
        if account is not None:
            for row in account.transactions.order_by("-sequence")[:limit]:
                items.append(registry.HistoryItem(
                    on=row.on, kind=row.kind, label=row.get_kind_display(), own_hkd=row.own_hkd,
                    reward_hkd=row.reward_hkd, spouse_hkd=row.spouse_hkd, detail_hkd=row.detail_hkd,
                    reference=row.reference))
        return items[:limit]

    def reward_status(self, holder: registry.Holder, *, on: date | None = None) -> registry.RewardStatus:
        on = on or timezone.localdate()
        state, _moves = self._current(self._account(holder), holder, on)
        return registry.RewardStatus(
            year=on.year, designated_spent_hkd=state.designated_spent if state.designated_year == on.year else 0,
            threshold_hkd=self.scheme.reward_threshold, reward_hkd=self.scheme.reward,
            granted_this_year=on.year in state.rewarded_years,
            lots=tuple(registry.RewardLot(lot.year, lot.remaining, lot.expires_on) for lot in state.rewards),
            pilot_ends_on=self.scheme.reward_last_day, as_of=timezone.now(), source=str(self.name),
        )

    def spouse_link(self, holder: registry.Holder) -> registry.SpouseLink | None:
        account = self._account(holder)
        if account is None or account.spouse is None:
            return None
        spouse = account.spouse
        return registry.SpouseLink(document_type=spouse.document_type,
                                   masked_number=identity.mask_identity_number(spouse.document_number),
                                   linked_on=account.spouse_linked_on)

    # --- writing ------------------------------------------------------------------

    def _open(self, holder: registry.Holder) -> SimulatedAccount:
        """The holder's account, opened on first use (as a provider opens one in
        the real system)."""
        account = self._account(holder)
        if account is not None:
            return account
        blank = _blank(holder)
        try:
            with transaction.atomic():
                return SimulatedAccount.objects.create(
                    document_type=holder.document_type, document_number=holder.document_number,
                    date_of_birth=holder.date_of_birth, allotted_through=blank.allotted_through,
                    advanced_to=blank.advanced_to)
        except IntegrityError:  # opened by a concurrent request
            return SimulatedAccount.objects.get(document_type=holder.document_type,
                                                document_number=holder.document_number)

    def _lock(self, account_ids: list[int]) -> dict[int, SimulatedAccount]:
        rows = SimulatedAccount.objects.select_for_update().filter(pk__in=sorted(set(account_ids))).order_by("pk")
        return {row.pk: row for row in rows}

    def _advance(self, account: SimulatedAccount, on: date) -> rules.AccountState:
        state, moves = rules.advance(_state(account, list(account.rewards.all())), on, self.scheme)
        self._write(account, state, moves)
        return state

    def _write(self, account: SimulatedAccount, state: rules.AccountState, moves: list[rules.Movement],
               reference: str = "") -> None:
        """Record the movements and the new state. The caller holds the row lock."""
        sequence = account.sequence
        rows = []
        for move in moves:
            sequence += 1
            rows.append(SimulatedTransaction(
                account=account, sequence=sequence, on=move.on, kind=move.kind, own_hkd=move.own,
                reward_hkd=move.reward, spouse_hkd=move.spouse, reward_year=move.reward_year,
                detail_hkd=move.detail, designated=move.designated,
                reference=reference if move.kind not in (Kind.ALLOTMENT, Kind.REWARD_EXPIRED) else ""))
        SimulatedTransaction.objects.bulk_create(rows)
        for lot in state.rewards:
            SimulatedReward.objects.update_or_create(
                account=account, year=lot.year,
                defaults={"amount_hkd": lot.amount, "remaining_hkd": lot.remaining, "expires_on": lot.expires_on})
        # Lapsed rewards: their row stays (the year was rewarded) with nothing left.
        SimulatedReward.objects.filter(account=account, expires_on__lt=state.advanced_to).exclude(
            remaining_hkd=0).update(remaining_hkd=0)
        changed = SimulatedAccount.objects.filter(pk=account.pk, sequence=account.sequence).update(
            own_hkd=state.own, allotted_through=state.allotted_through, advanced_to=state.advanced_to,
            designated_year=state.designated_year, designated_spent_hkd=state.designated_spent, sequence=sequence)
        if changed != 1:  # only reachable without the lock: another writer got there first
            raise IntegrityError("simulated account changed under us")
        account.own_hkd, account.allotted_through, account.advanced_to = state.own, state.allotted_through, state.advanced_to
        account.designated_year, account.designated_spent_hkd, account.sequence = (
            state.designated_year, state.designated_spent, sequence)

    def submit_claim(self, holder: registry.Holder, *, amount_hkd: int, designated_primary_care: bool,
                     reference: str, on: date | None = None) -> registry.Receipt:
        on = on or timezone.localdate()
        self._check(holder, on)
        with transaction.atomic():
            opened = self._open(holder)
            locked = self._lock([opened.pk, *([opened.spouse_id] if opened.spouse_id else [])])
            account = locked[opened.pk]
            spouse = locked.get(account.spouse_id) if account.spouse_id else None
            state = self._advance(account, on)
            spouse_state = self._advance(spouse, on) if spouse is not None else None
            try:
                state, spouse_state, split, mine, theirs = rules.debit(
                    state, spouse_state, amount=amount_hkd, designated=designated_primary_care, on=on,
                    scheme=self.scheme)
            except rules.NotEnoughVouchers as short:
                raise registry.InsufficientVouchers(needed=short.needed, available=short.available,
                                                    source=str(self.name)) from short
            self._write(account, state, mine, reference)
            if spouse is not None and theirs:
                self._write(spouse, spouse_state, theirs, reference)
            return registry.Receipt(reference=f"SIM-{account.pk}-{account.sequence}", own_hkd=split.own,
                                    reward_hkd=split.reward, spouse_hkd=split.spouse,
                                    balance=self._balance(state, spouse_state))

    def void_claim(self, holder: registry.Holder, *, reference: str, on: date | None = None) -> registry.Receipt:
        on = on or timezone.localdate()
        with transaction.atomic():
            opened = self._account(holder)
            if opened is None:
                raise registry.RegistryError(_("The voucher system has no such claim."), code="unknown_claim")
            locked = self._lock([opened.pk, *([opened.spouse_id] if opened.spouse_id else [])])
            account = locked[opened.pk]
            claimed = list(account.transactions.filter(kind=Kind.CLAIM, reference=reference))
            if not claimed or account.transactions.filter(kind=Kind.VOID, reference=reference).exists():
                raise registry.RegistryError(_("The voucher system has no such claim to void."), code="unknown_claim")
            spouse = locked.get(account.spouse_id) if account.spouse_id else None
            state = self._advance(account, on)
            spouse_state = self._advance(spouse, on) if spouse is not None else None
            split = rules.Split(
                rewards=tuple((row.reward_year, -row.reward_hkd) for row in claimed if row.reward_year is not None),
                own=-sum(row.own_hkd for row in claimed), spouse=sum(row.spouse_hkd for row in claimed))
            designated, claim_on = claimed[0].designated, claimed[0].on
            state, spouse_state, mine, theirs = rules.restore(
                state, spouse_state, split=split, designated=designated, claim_on=claim_on, on=on,
                scheme=self.scheme)
            self._write(account, state, mine, reference)
            if spouse is not None and theirs:
                self._write(spouse, spouse_state, theirs, reference)
            return registry.Receipt(reference=f"SIM-{account.pk}-{account.sequence}", own_hkd=split.own,
                                    reward_hkd=split.reward, spouse_hkd=split.spouse,
                                    balance=self._balance(state, spouse_state))

    # --- simulator only ----------------------------------------------------------------

    def link_spouses(self, holder: registry.Holder, spouse: registry.Holder, *, on: date | None = None) -> None:
        """Pair two eligible elders' accounts (in the real scheme, at a provider
        with both identity documents and a declaration)."""
        on = on or timezone.localdate()
        self._check(holder, on)
        self._check(spouse, on)
        if (holder.document_type, holder.document_number) == (spouse.document_type, spouse.document_number):
            raise registry.RegistryError(_("An account cannot be linked with itself."), code="same_person")
        with transaction.atomic():
            first, second = self._open(holder), self._open(spouse)
            locked = self._lock([first.pk, second.pk])
            first, second = locked[first.pk], locked[second.pk]
            if first.spouse_id not in (None, second.pk) or second.spouse_id not in (None, first.pk):
                raise registry.RegistryError(_("One of the two accounts is already linked with someone else."),
                                             code="already_linked")
            for account, other in ((first, second), (second, first)):
                state = self._advance(account, on)
                SimulatedAccount.objects.filter(pk=account.pk).update(spouse=other, spouse_linked_on=on)
                self._write(account, state, [rules.Movement(Kind.LINK, on)])
