"""Elderly Health Care Vouchers in the portal: the claims made through it, the
monthly RMB -> HKD conversion rates, the published facts about service points;
Macao's schemes (where Macao's medical vouchers can be used, the medical
insurance subsidy); and, kept apart and named as such, the tables of the voucher
system simulator. The rules are written out in docs/vouchers.md.

The portal keeps no voucher balance. The elder's balance lives in the Department
of Health's voucher system (eHealth); the portal reads it through a
`registry.VoucherRegistry` when one is configured and shows none otherwise. A
`Claim` is the portal's record of one claim made through it, and `ClaimEvent` the
append-only log of what happened to it.

Money:
- Voucher amounts are whole Hong Kong dollars (face value HK$1), stored as integers.
- A fee charged in RMB is converted with the rate of its service date's month:
  HKD = RMB x rate, rounded half-up to the cent (Claim.fee_hkd). The vouchers
  used are that amount rounded DOWN to a whole dollar, so a claim never takes
  more vouchers than the fee is worth; the cents left over are paid in cash.
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
    """The portal's file of one resident's voucher claims, opened with their first
    claim. It holds no balance: see the module docstring."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voucher_account")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher account")
        verbose_name_plural = _("voucher accounts")

    def __str__(self) -> str:
        return str(self.user)


class Claim(models.Model):
    """A service point's claim on a resident's vouchers for one attended
    outpatient visit. Debited only once the resident confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending_confirmation", _("Waiting for your confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
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
    primary_care = models.BooleanField(
        _("designated primary-care purpose"), default=False,
        help_text=_("Preventive care or follow-up of a long-term condition: counts toward the reward pilot."),
    )
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
    # Where the confirmed claim was submitted (the registry's name), its reference
    # there and how it was paid. Blank with no registry configured: the service
    # point then makes the claim in the Department of Health's system itself.
    registry_name = models.CharField(_("submitted to"), max_length=100, blank=True)
    registry_reference = models.CharField(_("reference in the voucher system"), max_length=64, blank=True)
    paid_own_hkd = models.PositiveIntegerField(_("own vouchers used (HK$)"), default=0)
    paid_reward_hkd = models.PositiveIntegerField(_("reward vouchers used (HK$)"), default=0)
    paid_spouse_hkd = models.PositiveIntegerField(_("spouse's vouchers used (HK$)"), default=0)

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


class ClaimEvent(models.Model):
    """What happened to a claim made through the portal, who did it and when:
    append-only (the admin shows it read-only; nothing updates or deletes it)."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Recorded by the service point")
        CONFIRMED = "confirmed", _("Confirmed")
        SUBMITTED = "submitted", _("Submitted to the voucher system")
        DECLINED = "declined", _("Declined by the resident")
        VOIDED = "voided", _("Voided by the service point")
        EXPIRED = "expired", _("Expired")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what happened"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["claim", "at", "id"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"{self.claim_id} {self.kind}"


# --- Published facts about service points ------------------------------------------------


class ServicePoint(models.Model):
    """What is published about one GBA service point of the Elderly Health Care
    Voucher Scheme: its designated departments and the source of those facts and
    of its start date (Hospital.voucher_since, to the precision published), with
    when. Where nothing is published the page says so; it never shows a default
    list of departments."""

    hospital = models.OneToOneField(
        "hospitals.Hospital", on_delete=models.CASCADE, primary_key=True, related_name="voucher_service_point",
        verbose_name=_("hospital"),
    )
    departments_count = models.PositiveSmallIntegerField(
        _("number of designated departments"), null=True, blank=True, help_text=_("Empty if not published."))
    departments_note = models.CharField(
        _("designated departments, as published"), max_length=300, blank=True,
        help_text=_("For example: including emergency. Empty if not published."))
    source = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source address"), blank=True)
    as_of = models.DateField(_("as of"))

    class Meta:
        ordering = ["hospital__slug"]
        verbose_name = _("voucher service point (published facts)")
        verbose_name_plural = _("voucher service points (published facts)")

    def __str__(self) -> str:
        return str(self.hospital)

    @property
    def departments_published(self) -> bool:
        return self.departments_count is not None or bool(self.departments_note)


# --- Macao residents' schemes -------------------------------------------------------------


class MacaoScheme(models.Model):
    """One of Macao's schemes usable by Macao residents in the Greater Bay Area,
    with its figures in MOP, where it comes from and as of when. Editable in the
    admin; loaded from portal/vouchers/data/macao_schemes.csv by the demo loader."""

    class Code(models.TextChoices):
        MEDICAL_SUBSIDY = "medical_subsidy", _("Medical subsidy (electronic medical vouchers)")
        INSURANCE_SUBSIDY = "insurance_subsidy", _("Medical insurance subsidy for Macao residents living on the mainland")

    code = models.CharField(_("scheme"), max_length=20, choices=Code.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    amount_mop = models.PositiveIntegerField(_("amount (MOP)"), help_text=_("Per person per year (the insurance subsidy: at most)."))
    summary = models.TextField(_("summary"))
    conditions = models.TextField(_("conditions"), blank=True)
    how_to = models.TextField(_("how to use or apply"), blank=True)
    family_transfer = models.TextField(_("moving it to family"), blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    where_to_apply = models.TextField(_("where to apply or ask"), blank=True)
    valid_from = models.DateField(_("current round from"), null=True, blank=True)
    valid_until = models.DateField(_("current round until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    as_of = models.DateField(_("as of"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("Macao scheme")
        verbose_name_plural = _("Macao schemes")

    def __str__(self) -> str:
        return self.name


class MacaoVoucherPlaceQuerySet(models.QuerySet):
    def accepting(self) -> "MacaoVoucherPlaceQuerySet":
        """Listed places confirmed to take Macao's medical vouchers: the one rule the
        hospital search's "Macao medical vouchers" programme and the hospital pages use."""
        return self.filter(is_active=True, vouchers=MacaoVoucherPlace.Vouchers.ACCEPTED)


class MacaoVoucherPlace(models.Model):
    """A place in the Greater Bay Area where a Macao resident may (or may not) use
    Macao's medical vouchers: the Hengqin clinics set up with Macao capital whose
    Macao doctors are enrolled in the scheme. Each with its source and as-of date;
    an unconfirmed place is shown as unconfirmed, never as official."""

    class Vouchers(models.TextChoices):
        ACCEPTED = "accepted", _("Takes Macao medical vouchers")
        UNCONFIRMED = "unconfirmed", _("Not confirmed: ask the clinic or the Health Bureau")
        NOT_ACCEPTED = "not_accepted", _("Does not take Macao medical vouchers")

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area"), max_length=150)
    address = models.CharField(_("address"), max_length=300, blank=True)
    vouchers = models.CharField(_("Macao medical vouchers"), max_length=12, choices=Vouchers.choices,
                                default=Vouchers.UNCONFIRMED)
    notes = models.TextField(_("conditions and notes"), blank=True)
    hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.SET_NULL, null=True, blank=True, related_name="macao_voucher_places",
        verbose_name=_("hospital page in the portal"),
        help_text=_("If the clinic is listed as a hospital in the portal (to book there)."),
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    as_of = models.DateField(_("as of"))
    is_active = models.BooleanField(_("listed"), default=True)

    objects = MacaoVoucherPlaceQuerySet.as_manager()

    class Meta:
        ordering = ["vouchers", "slug"]
        verbose_name = _("place for Macao medical vouchers")
        verbose_name_plural = _("places for Macao medical vouchers")
        constraints = [
            models.CheckConstraint(condition=Q(vouchers__in=["accepted", "unconfirmed", "not_accepted"]),
                                   name="vouchers_macaoplace_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name


# --- The voucher system SIMULATOR (see simulator.py) ----------------------------------------
# These tables stand in for the Department of Health's voucher system in the demo
# and the tests. They are never the elder's real balance; every page that shows a
# figure from them says it comes from the simulator.


class SimulatedAccount(models.Model):
    """SIMULATOR: one elder's voucher account, keyed by the eligibility document
    as the real system is. `sequence` is the number of its latest transaction."""

    document_type = models.CharField(max_length=10)
    document_number = models.CharField(max_length=16)
    date_of_birth = models.DateField()
    own_hkd = models.IntegerField(default=0)
    allotted_through = models.SmallIntegerField()
    advanced_to = models.DateField()
    designated_year = models.SmallIntegerField(default=0)
    designated_spent_hkd = models.IntegerField(default=0)
    spouse = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    spouse_linked_on = models.DateField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated voucher account (simulator)")
        verbose_name_plural = _("simulated voucher accounts (simulator)")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "document_number"], name="vouchers_sim_account_unique"),
            models.CheckConstraint(condition=Q(own_hkd__gte=0), name="vouchers_sim_own_never_negative"),
            models.CheckConstraint(condition=~Q(spouse=models.F("pk")), name="vouchers_sim_not_own_spouse"),
        ]

    def __str__(self) -> str:
        return f"simulated {self.document_type} #{self.pk}"


class SimulatedReward(models.Model):
    """SIMULATOR: a reward credited for one calendar year's designated spending.
    Unique per account and year: the reward is granted at most once a year."""

    account = models.ForeignKey(SimulatedAccount, on_delete=models.CASCADE, related_name="rewards")
    year = models.SmallIntegerField()
    amount_hkd = models.PositiveIntegerField()
    remaining_hkd = models.PositiveIntegerField()
    expires_on = models.DateField()

    class Meta:
        ordering = ["expires_on", "year"]
        verbose_name = _("simulated reward (simulator)")
        verbose_name_plural = _("simulated rewards (simulator)")
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="vouchers_sim_one_reward_a_year"),
            models.CheckConstraint(condition=Q(remaining_hkd__lte=models.F("amount_hkd")),
                                   name="vouchers_sim_reward_remaining_within_amount"),
        ]

    def __str__(self) -> str:
        return f"simulated reward {self.year} ({self.remaining_hkd}/{self.amount_hkd})"


class SimulatedTransaction(models.Model):
    """SIMULATOR: one movement on a simulated account, append-only; `sequence`
    is unique per account, so two writers that skipped the account lock could
    not both write after the same transaction."""

    class Kind(models.TextChoices):
        ALLOTMENT = "allotment", _("Yearly vouchers")
        REWARD = "reward", _("Reward credited")
        REWARD_EXPIRED = "reward_expired", _("Reward expired")
        CLAIM = "claim", _("Claim")
        SPOUSE_USE = "spouse_use", _("Used by your spouse")
        VOID = "void", _("Claim voided: vouchers back")
        SPOUSE_VOID = "spouse_void", _("Spouse's claim voided: vouchers back")
        FORFEIT = "forfeit", _("Lost to the cap or an expiry")
        LINK = "link", _("Linked with spouse")

    account = models.ForeignKey(SimulatedAccount, on_delete=models.CASCADE, related_name="transactions")
    sequence = models.PositiveIntegerField()
    on = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    own_hkd = models.IntegerField(default=0)
    reward_hkd = models.IntegerField(default=0)
    spouse_hkd = models.IntegerField(default=0)
    reward_year = models.SmallIntegerField(null=True, blank=True)
    detail_hkd = models.IntegerField(default=0)
    designated = models.BooleanField(default=False)
    reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "sequence"]
        verbose_name = _("simulated transaction (simulator)")
        verbose_name_plural = _("simulated transactions (simulator)")
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="vouchers_sim_transaction_sequence_unique"),
        ]
        indexes = [models.Index(fields=["account", "reference"], name="vouchers_sim_tx_reference")]

    def __str__(self) -> str:
        return f"simulated {self.account_id}#{self.sequence} {self.kind}"
