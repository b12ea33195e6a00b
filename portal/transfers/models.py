"""Cross-boundary ambulance transfers: supported routes, requests, their escorts
and attachments, and the append-only log of every state change. Family members
follow a transfer through a care relationship (portal.care)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import IDENTITY_DOCUMENT_CHOICES

from .workflow import Role, State


class Route(models.Model):
    class Direction(models.TextChoices):
        SOUTHBOUND = "southbound", _("Southbound (mainland to Hong Kong or Macao)")
        NORTHBOUND = "northbound", _("Northbound (Hong Kong or Macao to the mainland)")
        BOTH = "both", _("Both ways")

    class Status(models.TextChoices):
        # Only a running route can be requested (services.route_requestable, the one rule).
        RUNNING = "running", _("Running")
        DRILL = "drill", _("Drill only")
        PLANNED = "planned", _("Planned")

    sending_hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, related_name="routes_sending", verbose_name=_("sending hospital")
    )
    receiving_hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, related_name="routes_receiving",
        verbose_name=_("receiving hospital"),
    )
    border_point = models.ForeignKey(
        "hospitals.BorderPoint", on_delete=models.PROTECT, related_name="routes", verbose_name=_("border control point")
    )
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    since = models.DateField(_("in service since"), null=True, blank=True)
    fee_rmb = models.PositiveIntegerField(
        _("fee (RMB)"), null=True, blank=True,
        help_text=_("Leave empty while the fee is not published. Correct it when the sending hospital publishes one."),
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING,
        help_text=_("Only a running route can be requested. A route that has only had a drill, or is announced "
                    "but not yet running, is shown with its status and refused."),
    )
    status_source = models.CharField(
        _("source of the status"), max_length=300, blank=True,
        help_text=_("Where the status was published, for example a press release or a news report."),
    )
    status_as_of = models.DateField(_("status as of"), null=True, blank=True)

    class Meta:
        ordering = ["sending_hospital__slug", "receiving_hospital__slug"]
        verbose_name = _("transfer route")
        verbose_name_plural = _("transfer routes")
        constraints = [
            models.UniqueConstraint(fields=["sending_hospital", "receiving_hospital"], name="transfers_route_unique"),
            models.CheckConstraint(condition=models.Q(status__in=["running", "drill", "planned"]),
                                   name="transfers_route_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.sending_hospital} → {self.receiving_hospital} ({self.border_point})"


def new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "TR-" + "".join(secrets.choice(alphabet) for _ in range(8))


class TransferRequest(models.Model):
    class PatientKind(models.TextChoices):
        SELF = "self", _("Myself")
        RESIDENT = "resident", _("Another resident with an account")
        PERSON = "person", _("Someone without an account")

    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference, editable=False)
    # The resident who owns the request (files it, or has centre staff file it for them).
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transfer_requests",
        verbose_name=_("requester"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    patient_kind = models.CharField(_("patient"), max_length=10, choices=PatientKind.choices)
    patient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_as_patient",
        verbose_name=_("patient account"),
    )
    patient_name = models.CharField(_("patient's name"), max_length=150)
    # Only the masked form is ever stored for someone without an account.
    patient_document_masked = models.CharField(_("patient's identity document (masked)"), max_length=24, blank=True)
    patient_document_type = models.CharField(
        _("patient's identity document"), max_length=16, blank=True, choices=IDENTITY_DOCUMENT_CHOICES)
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("route"))
    sending_hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, related_name="transfers_sending",
        verbose_name=_("sending hospital"),
    )
    receiving_hospital = models.ForeignKey(
        "hospitals.Hospital", on_delete=models.PROTECT, related_name="transfers_receiving",
        verbose_name=_("receiving hospital"),
    )
    border_point = models.ForeignKey(
        "hospitals.BorderPoint", on_delete=models.PROTECT, related_name="transfers",
        verbose_name=_("border control point"),
    )
    clinical_summary = models.TextField(_("clinical summary"))
    mobility_needs = models.TextField(_("mobility needs"), blank=True)
    equipment_needs = models.TextField(_("equipment needs"), blank=True)
    preferred_date = models.DateField(_("preferred date"))
    preferred_time = models.TimeField(_("preferred time"), null=True, blank=True)
    consent_to_share = models.BooleanField(_("consent to share with the hospitals and authorities involved"))
    fee_quoted_rmb = models.PositiveIntegerField(_("fee quoted (RMB)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=30, choices=State.choices, default=State.SUBMITTED, db_index=True)
    # Crossing pre-registration, filled in by the sending hospital.
    vehicle_plate_hk_macao = models.CharField(_("Hong Kong or Macao plate"), max_length=20, blank=True)
    vehicle_plate_mainland = models.CharField(_("mainland plate"), max_length=20, blank=True)
    crew = models.TextField(_("crew on board"), blank=True)
    documents_checked = models.BooleanField(_("patient's travel documents checked"), default=False)
    crossing_border_point = models.ForeignKey(
        "hospitals.BorderPoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("crossing at"),
    )
    crossing_at = models.DateTimeField(_("crossing time"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(consent_to_share=True), name="transfers_request_consent_given"),
            models.CheckConstraint(
                condition=~models.Q(sending_hospital=models.F("receiving_hospital")),
                name="transfers_request_distinct_hospitals",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("transfers:detail", kwargs={"pk": self.pk})


class Escort(models.Model):
    class Kind(models.TextChoices):
        RELATIVE = "relative", _("Relative")
        MEDICAL = "medical", _("Medical crew")

    transfer = models.ForeignKey(TransferRequest, on_delete=models.CASCADE, related_name="escorts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    relationship = models.CharField(_("relationship or role"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("escort")
        verbose_name_plural = _("escorts")

    def __str__(self) -> str:
        return self.name


class Attachment(models.Model):
    """A document stored under PRIVATE_MEDIA_ROOT with a random name; streamed
    only by views.attachment_download after an access check."""

    transfer = models.ForeignKey(TransferRequest, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class TransferEvent(models.Model):
    """Append-only: one row per state change, written with the change."""

    transfer = models.ForeignKey(TransferRequest, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("from"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    role = models.CharField(_("as"), max_length=12, choices=Role.choices)
    # The care relationship a caregiver acted through (empty: anyone else).
    care_link = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("as caregiver through"))
    note = models.TextField(_("note or reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transfer event")
        verbose_name_plural = _("transfer events")
        constraints = [
            # A state is entered at most once per transfer: a duplicate move cannot log twice.
            models.UniqueConstraint(fields=["transfer", "to_state"], name="transfers_event_state_once"),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Transfer events are append-only.")
        super().save(*args, **kwargs)
