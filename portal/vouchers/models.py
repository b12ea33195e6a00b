"""Elderly Health Care Voucher accounts, the append-only ledger, claims and the
monthly RMB -> HKD conversion rates. The rules are written out in docs/vouchers.md.

Money:
- Voucher amounts (ledger entries, balances) are whole Hong Kong dollars (the
  scheme's vouchers have a face value of HK$1), stored as integers.
- A fee charged in RMB is converted with the rate of its service date's month:
  HKD = RMB x rate, rounded half-up to the cent (Claim.fee_hkd). The vouchers
  debited are that amount rounded DOWN to a whole dollar, so a claim never takes
  more vouchers than the fee is worth; the cents left over are paid in cash.

The ledger guard: every entry stores `balance_after`, computed from the previous
entry while the account row is locked (select_for_update), with a database CHECK
(balance_after >= 0) and a unique (account, sequence) pair, so two writers that
skipped the lock could not both append after the same entry either. On PostgreSQL
a trigger refuses UPDATE and DELETE on the ledger table (migration 0002).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """The scheme's conversion rate for one calendar month: HKD per 1 RMB."""

    month = models.DateField(_("month"), unique=True, help_text=_("Any day of the month; stored as its first day."))
    hkd_per_rmb = models.DecimalField(_("HKD per 1 RMB"), max_digits=8, decimal_places=5)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(condition=Q(hkd_per_rmb__gt=0), name="vouchers_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.hkd_per_rmb}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = self.month.replace(day=1)
        super().save(*args, **kwargs)


class VoucherAccount(models.Model):
    """One per eligible resident, opened lazily (first visit, first claim or the
    yearly allotment task). The balance is not stored here: it is the
    `balance_after` of the latest ledger entry, which equals the sum of entries."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voucher_account")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher account")
        verbose_name_plural = _("voucher accounts")

    def __str__(self) -> str:
        return str(self.user)


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        ALLOTMENT = "allotment", _("Yearly allotment")
        CLAIM = "claim", _("Claim")
        VOID = "void", _("Void (refund)")
        ADJUSTMENT = "adjustment", _("Adjustment")

    account = models.ForeignKey(VoucherAccount, on_delete=models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount_hkd = models.IntegerField(_("amount (HK$)"))
    balance_after = models.IntegerField(_("balance after (HK$)"))
    allotment_year = models.PositiveSmallIntegerField(_("allotment year"), null=True, blank=True)
    claim = models.ForeignKey("Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("service point"),
    )
    department = models.ForeignKey(
        "hospitals.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )
    service_date = models.DateField(_("service date"), null=True, blank=True)
    visit_reference = models.CharField(_("visit reference"), max_length=40, blank=True)
    amount_rmb = models.DecimalField(_("fee (RMB)"), max_digits=10, decimal_places=2, null=True, blank=True)
    exchange_rate = models.ForeignKey(
        ExchangeRate, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("exchange rate"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["account", "sequence"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="vouchers_entry_sequence_unique"),
            models.UniqueConstraint(
                fields=["account", "allotment_year"], condition=Q(kind="allotment"),
                name="vouchers_one_allotment_per_year",
            ),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="vouchers_balance_never_negative"),
            models.CheckConstraint(
                condition=(Q(kind="allotment", amount_hkd__gte=0, allotment_year__isnull=False)
                           | (~Q(kind="allotment") & Q(allotment_year__isnull=True))),
                name="vouchers_allotment_has_year",
            ),
            models.CheckConstraint(
                condition=~Q(kind="claim") | Q(amount_hkd__lt=0, claim__isnull=False),
                name="vouchers_claim_is_debit",
            ),
            models.CheckConstraint(
                condition=~Q(kind="void") | Q(amount_hkd__gt=0, claim__isnull=False),
                name="vouchers_void_is_credit",
            ),
        ]
        indexes = [models.Index(fields=["account", "-sequence"], name="vouchers_entry_latest")]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.sequence} {self.kind} {self.amount_hkd:+d}"


class Claim(models.Model):
    """A service point's claim on a resident's vouchers for one attended
    outpatient visit. Debited only once the resident confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending_confirmation", _("Waiting for your confirmation")
        CONFIRMED = "confirmed", _("Confirmed and paid")
        EXPIRED = "expired", _("Expired (not confirmed in time)")
        VOIDED = "voided", _("Voided by the service point")
        REJECTED = "rejected", _("Declined by the resident")

    class ConfirmedVia(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        CODE = "code", _("With the one-time code")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(VoucherAccount, on_delete=models.PROTECT, related_name="claims")
    hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, related_name="voucher_claims", verbose_name=_("service point")
    )
    department = models.ForeignKey(
        "hospitals.Department", on_delete=models.PROTECT, related_name="voucher_claims", verbose_name=_("department")
    )
    service_date = models.DateField(_("service date"))
    # The appointment reference code as typed by the cashier; when it names one of
    # the resident's appointments at this department, `appointment` links it.
    visit_reference = models.CharField(_("visit reference"), max_length=40, blank=True)
    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_claims",
        verbose_name=_("appointment"),
    )
    amount_rmb = models.DecimalField(_("fee (RMB)"), max_digits=10, decimal_places=2)
    exchange_rate = models.ForeignKey(ExchangeRate, on_delete=models.PROTECT, related_name="claims")
    fee_hkd = models.DecimalField(_("fee (HK$)"), max_digits=10, decimal_places=2)
    voucher_amount = models.PositiveIntegerField(_("vouchers to use (HK$)"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PENDING)
    code_hash = models.CharField(max_length=64, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    expires_at = models.DateTimeField(_("confirm before"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_via = models.CharField(max_length=10, choices=ConfirmedVia.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("voucher claim")
        verbose_name_plural = _("voucher claims")
        constraints = [
            models.CheckConstraint(condition=Q(amount_rmb__gt=0), name="vouchers_claim_fee_positive"),
            models.CheckConstraint(condition=Q(voucher_amount__gt=0), name="vouchers_claim_amount_positive"),
            # One live claim per appointment: a visit is paid once.
            models.UniqueConstraint(
                fields=["appointment"], condition=Q(status__in=["pending_confirmation", "confirmed"]),
                name="vouchers_claim_one_live_per_appointment",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="vouchers_claim_pending")]

    def __str__(self) -> str:
        return f"#{self.pk} HK${self.voucher_amount} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
