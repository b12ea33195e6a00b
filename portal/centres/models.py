"""Health service centres for Hong Kong and Macao residents, their staff, and the
consent a resident gives a centre to assist them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceCentre(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    city = models.ForeignKey("hospitals.City", on_delete=models.PROTECT, related_name="centres")
    hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.SET_NULL, null=True, blank=True, related_name="centres",
        help_text=_("The hospital that hosts the centre, if any."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")

    def __str__(self) -> str:
        return self.name


class CentreMembership(models.Model):
    """Links a staff member to the one service centre they work for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_membership")
    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="memberships")
    is_manager = models.BooleanField(_("centre manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centre staff membership")
        verbose_name_plural = _("centre staff memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre}"


class ConsentQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, granted_at__lte=at).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at)
        )


class Consent(models.Model):
    """A resident's permission for a centre's staff to see their portal data and act
    for them (book, change and cancel appointments, file transfers, help with claims)."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_consents")
    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="consents")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # At most one live (unrevoked) consent per resident and centre.
            models.UniqueConstraint(
                fields=["resident", "centre"], condition=models.Q(revoked_at__isnull=True),
                name="centres_consent_one_live_per_centre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} -> {self.centre}"

    @property
    def was_withdrawn(self) -> bool:
        """Revoked by the resident before it ran out (not just closed at its expiry)."""
        return self.revoked_at is not None and (self.expires_at is None or self.revoked_at < self.expires_at)


# --- Case work -----------------------------------------------------------------


class CaseNote(models.Model):
    """A note a centre's staff keep about a resident they assist. Visible to that
    centre's staff only (not to the resident, not to other centres)."""

    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="case_notes")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["centre", "resident", "-created_at"], name="centres_note_case")]

    def __str__(self) -> str:
        return f"{self.centre_id}/{self.resident_id}: {self.body[:40]}"


class EscortLanguage(models.TextChoices):
    CANTONESE = "yue", _("Cantonese")
    PUTONGHUA = "cmn", _("Putonghua")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")


class EscortRequest(models.Model):
    """A resident asks a centre for someone who speaks their language to go with
    them to a hospital visit. The centre assigns one of its staff."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an escort")
        ASSIGNED = "assigned", _("Escort assigned")
        CANCELLED = "cancelled", _("Cancelled")

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="escort_requests")
    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="escort_requests")
    language = models.CharField(_("language"), max_length=5, choices=EscortLanguage.choices)
    hospital = models.ForeignKey("hospitals.Hospital", on_delete=models.PROTECT, related_name="+", verbose_name=_("hospital"))
    visit_at = models.DateTimeField(_("visit date and time"))
    appointment_reference = models.CharField(_("appointment reference"), max_length=60, blank=True)
    # The portal appointment this escort is for (None: a visit not booked through the portal).
    appointment = models.ForeignKey(
        "appointments.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="escort_requests",
        verbose_name=_("appointment"),
    )
    notes = models.TextField(_("anything the escort should know"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="escort_assignments",
        verbose_name=_("escort"),
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["visit_at", "id"]
        verbose_name = _("escort request")
        verbose_name_plural = _("escort requests")
        indexes = [models.Index(fields=["centre", "visit_at"], name="centres_escort_centre_visit")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="assigned") | models.Q(assigned_to__isnull=False),
                name="centres_escort_assigned_has_staff",
            )
        ]

    def __str__(self) -> str:
        return f"escort {self.pk} ({self.status})"


class InsuranceClaim(models.Model):
    """A resident's insurance claim packet for one visit, prepared with a centre."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Being prepared")
        SUBMITTED = "submitted", _("Submitted to the insurer")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    class Currency(models.TextChoices):
        CNY = "CNY", _("Renminbi (CNY)")
        HKD = "HKD", _("Hong Kong dollars (HKD)")
        MOP = "MOP", _("Macao patacas (MOP)")
        USD = "USD", _("US dollars (USD)")

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="insurance_claims")
    centre = models.ForeignKey(ServiceCentre, on_delete=models.CASCADE, related_name="insurance_claims")
    visit_date = models.DateField(_("visit date"))
    hospital = models.ForeignKey("hospitals.Hospital", on_delete=models.PROTECT, related_name="+", verbose_name=_("hospital"))
    insurer = models.CharField(_("insurer"), max_length=120)
    policy_number = models.CharField(_("policy number"), max_length=40)
    amount = models.DecimalField(_("amount claimed"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREPARED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visit_date", "-id"]
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        indexes = [models.Index(fields=["centre", "status"], name="centres_claim_centre_status")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="centres_claim_amount_positive")]

    def __str__(self) -> str:
        return f"claim {self.pk} ({self.status})"

    @property
    def masked_policy_number(self) -> str:
        """Only the last four characters are shown, e.g. ******7890."""
        value = self.policy_number or ""
        if len(value) <= 4:
            return "*" * len(value)
        return "*" * (len(value) - 4) + value[-4:]


class ClaimDocument(models.Model):
    """A receipt or report for a claim: a file under PRIVATE_MEDIA_ROOT with a
    random name, streamed only to the resident and the centre's staff."""

    claim = models.ForeignKey(InsuranceClaim, on_delete=models.CASCADE, related_name="documents")
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")

    def __str__(self) -> str:
        return self.original_name


class ClaimEvent(models.Model):
    """One row per change of a claim's status (and its creation): who, when, from, to."""

    claim = models.ForeignKey(InsuranceClaim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=InsuranceClaim.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=InsuranceClaim.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status} -> {self.to_status}"


# --- Access log ------------------------------------------------------------------


class AccessWhat(models.TextChoices):
    """What staff opened. Other apps pass one of these codes to access_log_record()."""

    CASE = "case", _("Case overview (profile, notes, escorts, claims)")
    CLAIM = "claim", _("Insurance claim")
    CLAIM_DOCUMENT = "claim_document", _("Insurance claim document")
    ESCORT = "escort", _("Escort request")
    PROFILE_API = "profile_api", _("Profile (through the API)")
    APPOINTMENTS = "appointments", _("Appointments")
    TRANSFERS = "transfers", _("Ambulance transfers")
    TRANSFER_DOCUMENT = "transfer_document", _("Ambulance transfer document")
    VOUCHERS = "vouchers", _("Voucher activity")
    CARE_CONSENT = "care_consent", _("Signed consent for a caregiver")
    HEALTH_SUMMARY = "health_summary", _("Health summary")
    VISIT_DOCUMENT = "visit_document", _("Document from a visit")


class AccessReason(models.TextChoices):
    """Reasons staff choose from when they open a case (or they type their own)."""

    APPOINTMENT = "appointment", _("Booking or changing an appointment")
    ESCORT = "escort", _("Arranging an escort")
    CLAIM = "claim", _("Insurance claim")
    TRANSFER = "transfer", _("Ambulance transfer")
    VOUCHER = "voucher", _("Voucher question")
    ENQUIRY = "enquiry", _("The resident asked us for help")
    # Not offered to staff: the reason of every caregiver's read.
    CAREGIVER = "caregiver", _("As your caregiver, with the rights you gave")


STAFF_REASONS = [choice for choice in AccessReason.choices if choice[0] != AccessReason.CAREGIVER]


class AccessLogEntry(models.Model):
    """Append-only: who opened which resident's data, what and why. The one access
    log of a resident: staff of a service centre (`centre`), and caregivers acting
    through a care relationship (`care_link`, portal.care).

    Nothing in the portal updates or deletes a row (services, admin); on PostgreSQL
    a trigger refuses UPDATE and DELETE outright (migration 0003)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who"))
    centre = models.ForeignKey(ServiceCentre, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("service centre"))
    care_link = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("as caregiver"))
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log_entries")
    what = models.CharField(_("what"), max_length=40)
    why = models.CharField(_("why"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        indexes = [models.Index(fields=["resident", "-at"], name="centres_access_resident_at")]
        constraints = [
            # Staff of a centre, or a caregiver: one of the two, never both.
            models.CheckConstraint(
                condition=models.Q(centre__isnull=False, care_link__isnull=True)
                | models.Q(centre__isnull=True, care_link__isnull=False),
                name="centres_access_staff_or_caregiver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} -> {self.resident_id}: {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Access log entries cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access log entries cannot be deleted.")

    @property
    def what_label(self) -> str:
        return str(AccessWhat(self.what).label) if self.what in AccessWhat.values else self.what

    @property
    def why_label(self) -> str:
        if self.why == AccessReason.CAREGIVER and self.care_link_id is None:
            return self.why  # typed by staff as their own reason
        return str(AccessReason(self.why).label) if self.why in AccessReason.values else self.why
