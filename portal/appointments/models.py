"""Schedules, slots, bookings and waiting lists.

Capacity is never a counter. A booking locks its slot row (SELECT ... FOR UPDATE),
counts the active bookings and live waiting-list holds, and inserts with the lowest
free seat number. The database backs this up:
- one active booking per (slot, seat): two inserts that raced past the count
  collide on the index instead of overbooking;
- seat >= 1, and seat <= the slot's capacity at booking time (copied in `seat_limit`);
- one active booking per resident per start time.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BookingSettings(models.Model):
    """Per-hospital booking rules. A hospital without a row uses the defaults."""

    DEFAULT_CANCEL_CUTOFF_HOURS = 24
    DEFAULT_RESCHEDULE_CUTOFF_HOURS = 24
    DEFAULT_OFFER_HOLD_MINUTES = 120

    hospital = models.OneToOneField(
        "hospitals.Hospital", on_delete=models.CASCADE, related_name="booking_settings", verbose_name=_("hospital")
    )
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation cut-off (hours before)"), default=DEFAULT_CANCEL_CUTOFF_HOURS
    )
    reschedule_cutoff_hours = models.PositiveSmallIntegerField(
        _("change cut-off (hours before)"), default=DEFAULT_RESCHEDULE_CUTOFF_HOURS
    )
    offer_hold_minutes = models.PositiveSmallIntegerField(
        _("waiting-list hold (minutes)"), default=DEFAULT_OFFER_HOLD_MINUTES
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")

    def __str__(self) -> str:
        return str(self.hospital)


class SessionTemplate(models.Model):
    """A weekly clinic session of a department (optionally one doctor's)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    department = models.ForeignKey(
        "hospitals.Department", on_delete=models.CASCADE, related_name="session_templates", verbose_name=_("department")
    )
    doctor_name = models.CharField(_("doctor"), max_length=150, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("places per slot"), default=1)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["department", "weekday", "start_time"]
        verbose_name = _("session template")
        verbose_name_plural = _("session templates")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="appt_template_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_template_capacity_positive"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="appt_template_slot_min_length"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="appt_template_weekday_range"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="appt_template_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Closure(models.Model):
    """A holiday or closure: the whole hospital, or one department, for a date range."""

    hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.CASCADE, related_name="closures", verbose_name=_("hospital")
    )
    department = models.ForeignKey(
        "hospitals.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="closures",
        verbose_name=_("department"), help_text=_("Leave empty to close the whole hospital."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="appt_closure_date_range"),
        ]

    def __str__(self) -> str:
        return f"{self.hospital} {self.start_date}–{self.end_date}"


class Slot(models.Model):
    department = models.ForeignKey(
        "hospitals.Department", on_delete=models.CASCADE, related_name="slots", verbose_name=_("department")
    )
    template = models.ForeignKey(
        SessionTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots",
        verbose_name=_("session template"),
    )
    doctor_name = models.CharField(_("doctor"), max_length=150, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    is_blocked = models.BooleanField(_("blocked"), default=False)
    blocked_reason = models.CharField(_("reason for blocking"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["department", "starts_at"], name="appt_slot_unique_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appt_slot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_slot_capacity_positive"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="appt_slot_starts")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.department} {local:%Y-%m-%d %H:%M}"


class IdentityDocument(models.TextChoices):
    HKID = "hkid", _("Hong Kong identity card")
    MACAO_ID = "macao_id", _("Macao resident identity card")
    CERTIFICATE_OF_EXEMPTION = "coe", _("Certificate of Exemption (Hong Kong)")
    TRAVEL_PERMIT = "travel_permit", _("Mainland Travel Permit for Hong Kong and Macao Residents")


# Constraint names the booking service recognises in an IntegrityError.
ONE_BOOKING_PER_SEAT = "appt_one_active_booking_per_seat"
ONE_BOOKING_PER_RESIDENT_TIME = "appt_one_active_booking_per_resident_time"


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    # Statuses that hold a place in the slot.
    HOLDING = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("resident")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("slot"))
    # Copied from the slot so the database can enforce "one place per seat" and
    # "one booking per resident per time" without a join.
    starts_at = models.DateTimeField(_("starts"))
    seat = models.PositiveSmallIntegerField(_("place number"))
    seat_limit = models.PositiveSmallIntegerField(_("places in the slot when booked"))
    reason = models.CharField(_("reason for visit"), max_length=500)
    id_document = models.CharField(_("identity document to bring"), max_length=20, choices=IdentityDocument.choices)
    pay_with_vouchers = models.BooleanField(_("pay with Elderly Health Care Vouchers"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    # When a caregiver booked: the care relationship they acted through (its
    # relationship label shows the resident who booked: "your daughter").
    booked_via = models.ForeignKey(
        "care.CareLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("booked as caregiver through"),
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # How many of services.REMINDERS (24 h, then 2 h before) are dealt with:
    # created by the reminder sweep, or skipped because their time had passed
    # when the appointment was booked or moved. The sweep creates the next one
    # when it comes due and raises this in the same transaction, so a reminder
    # is created once even when two sweeps run at the same time.
    reminders_done = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "seat"], condition=~Q(status="cancelled"), name=ONE_BOOKING_PER_SEAT
            ),
            models.UniqueConstraint(
                fields=["resident", "starts_at"], condition=Q(status="booked"),
                name=ONE_BOOKING_PER_RESIDENT_TIME,
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1) & Q(seat__lte=F("seat_limit")), name="appt_seat_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False) | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="appt_cancelled_at_iff_cancelled",
            ),
        ]
        indexes = [models.Index(fields=["resident", "starts_at"], name="appt_resident_starts")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED


class AppointmentEvent(models.Model):
    """Append-only: who did what to an appointment, and when."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("Booked")
        RESCHEDULED = "rescheduled", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")
        SLOT_BLOCKED = "slot_blocked", _("Cancelled: the hospital blocked the slot")
        ATTENDED = "attended", _("Marked attended")
        NO_SHOW = "no_show", _("Marked did not attend")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    on_behalf = models.BooleanField(_("acted for the resident"), default=False)
    # The care relationship a caregiver acted through (empty: the resident, staff or the hospital).
    care_link = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("as caregiver through"))
    from_slot = models.ForeignKey(Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_slot = models.ForeignKey(Slot, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")

    def __str__(self) -> str:
        return f"{self.appointment_id}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Appointment events are append-only")
        super().save(*args, **kwargs)


class WaitlistEntry(models.Model):
    """A resident waiting for a place on a day in a department (or in one slot).
    When a place frees, the first waiting entry gets an offer that holds the place
    until `offer_expires_at`."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Place offered")
        ACCEPTED = "accepted", _("Booked")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Left the waiting list")

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries")
    department = models.ForeignKey("hospitals.Department", on_delete=models.CASCADE, related_name="waitlist_entries")
    date = models.DateField(_("day"))
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, null=True, blank=True, related_name="waitlist_entries",
        help_text=_("Only this slot; empty means any slot that day."),
    )
    offered_slot = models.ForeignKey(Slot, on_delete=models.CASCADE, null=True, blank=True, related_name="offers")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    offer_expires_at = models.DateTimeField(_("offer held until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "department", "date"], condition=Q(status__in=["waiting", "offered"]),
                name="appt_waitlist_one_live_entry",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | (Q(offered_slot__isnull=False) & Q(offer_expires_at__isnull=False)),
                name="appt_waitlist_offer_has_slot_and_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "offer_expires_at"], name="appt_waitlist_offers")]

    def __str__(self) -> str:
        return f"{self.resident_id} · {self.department_id} · {self.date}"
