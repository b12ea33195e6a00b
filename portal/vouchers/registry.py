"""The one place an elder's voucher balance comes from.

The Department of Health's voucher system (the eHealth System (Subsidies), whose
figures the eHealth app shows) is the system of record: it holds each elder's
balance, history, reward and spouse link, and takes the claims. The portal reads
and writes it only through a `VoucherRegistry`, chosen by the VOUCHER_REGISTRY
setting (a dotted path). With none configured the portal shows no balance at all:
it shows the claims made through it and where to check the real balance.

A deployment plugs in a registry that talks to the real system. The portal ships
one implementation, `portal.vouchers.simulator.SimulatedVoucherRegistry`, a
simulator of that system for the demo and the tests; every figure it gives is
labelled as coming from the simulator.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.accounts import identity
from portal.core.formatting import money

from . import rules


@dataclass(frozen=True)
class Holder:
    """Whose vouchers: the voucher system knows an elder by the eligibility document."""

    document_type: str  # "hkid" or "coe"
    document_number: str
    date_of_birth: date

    @property
    def masked_number(self) -> str:
        return identity.mask_identity_number(self.document_number)


def holder_of(user) -> Holder | None:
    """The holder a resident's profile names, or None if the profile has no
    eligibility document (HKID or Certificate of Exemption) or date of birth."""
    profile = getattr(user, "profile", None)
    if profile is None or profile.date_of_birth is None:
        return None
    if not rules.document_qualifies(profile.id_document_type, profile.id_document_number):
        return None
    return Holder(profile.id_document_type, profile.id_document_number, profile.date_of_birth)


@dataclass(frozen=True)
class Balance:
    own_hkd: int                     # own vouchers (at most the cap)
    reward_hkd: int                  # unexpired reward vouchers: designated primary care only
    reward_expires_on: date | None   # the earliest expiry among them
    spouse_hkd: int | None           # the linked spouse's own vouchers, usable once these are spent
    as_of: datetime
    source: str                      # the registry's name, shown with every figure
    is_simulator: bool

    @property
    def total_hkd(self) -> int:
        """The elder's own vouchers and reward vouchers (not the spouse's)."""
        return self.own_hkd + self.reward_hkd


@dataclass(frozen=True)
class HistoryItem:
    on: date
    kind: str            # a SimulatedTransaction.Kind value, or a registry's own
    label: str
    own_hkd: int         # signed changes
    reward_hkd: int
    spouse_hkd: int      # a claim: vouchers taken from the spouse for it
    detail_hkd: int      # allotment: the part lost to the cap; forfeit: the amount lost
    reference: str


@dataclass(frozen=True)
class RewardLot:
    year: int
    remaining_hkd: int
    expires_on: date


@dataclass(frozen=True)
class RewardStatus:
    year: int                    # the calendar year being counted
    designated_spent_hkd: int    # vouchers used on designated primary care in it
    threshold_hkd: int
    reward_hkd: int
    granted_this_year: bool
    lots: tuple[RewardLot, ...]  # unexpired rewards
    pilot_ends_on: date
    as_of: datetime
    source: str


@dataclass(frozen=True)
class SpouseLink:
    document_type: str
    masked_number: str
    linked_on: date | None


@dataclass(frozen=True)
class Receipt:
    """What the voucher system answers to a claim or a void."""

    reference: str
    own_hkd: int
    reward_hkd: int
    spouse_hkd: int
    balance: Balance


class RegistryError(ValidationError):
    """A refusal by the voucher system; the message is translated and safe to show."""


class InsufficientVouchers(RegistryError):
    def __init__(self, *, needed: int, available: int, source: str):
        super().__init__(
            _("Not enough vouchers: this claim needs %(needed)s and %(source)s shows %(available)s available for it. Nothing was deducted.")
            % {"needed": money(needed), "available": money(available), "source": source},
            code="insufficient_balance",
        )
        self.needed, self.available = needed, available


class RegistryUnavailable(RegistryError):
    def __init__(self, *, source: str):
        super().__init__(
            _("%(source)s cannot be reached just now. Nothing was changed: please try again later.") % {"source": source},
            code="registry_unavailable",
        )


class VoucherRegistry(abc.ABC):
    """The voucher system of record, seen from the portal. Every method names the
    holder by their eligibility document; figures come back with the registry's
    name and the time they were taken, and the portal shows both."""

    #: Shown next to every figure ("Voucher system simulator", "eHealth").
    name: str
    #: True only for the simulator: pages then carry a visible notice.
    is_simulator: bool = False

    @abc.abstractmethod
    def balance(self, holder: Holder) -> Balance:
        """The holder's balance now."""

    @abc.abstractmethod
    def history(self, holder: Holder, *, limit: int = 50) -> list[HistoryItem]:
        """The holder's latest movements, newest first."""

    @abc.abstractmethod
    def reward_status(self, holder: Holder) -> RewardStatus:
        """Progress toward this year's reward and the unexpired rewards."""

    @abc.abstractmethod
    def spouse_link(self, holder: Holder) -> SpouseLink | None:
        """The spouse whose vouchers the holder may use once their own are spent."""

    @abc.abstractmethod
    def submit_claim(self, holder: Holder, *, amount_hkd: int, designated_primary_care: bool,
                     reference: str) -> Receipt:
        """Take `amount_hkd` vouchers for a claim (reference: the portal's claim
        id). Raises InsufficientVouchers, RegistryError or RegistryUnavailable;
        then nothing was taken."""

    @abc.abstractmethod
    def void_claim(self, holder: Holder, *, reference: str) -> Receipt:
        """Give back the vouchers of a claim submitted with `reference`."""


def get_registry() -> VoucherRegistry | None:
    """The configured registry (a new instance each call: registries hold no
    data of their own in the process), or None."""
    path = settings.VOUCHER_REGISTRY
    if not path:
        return None
    return import_string(path)()
