"""Family and caregivers: the one care relationship between an elder (the resident
cared for) and a caregiver (another account), with the rights the elder chose.

Every "may this caregiver do X for this elder" is answered by
selectors.caregiver_may, which reads these rows on every call (no cache), so a
revocation or an end date takes effect on the next request in every process.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Right(models.TextChoices):
    """What an elder may let a caregiver do. Each is a boolean column of CareLink
    named after its value. Confirming a voucher claim and consenting to share
    medical documents are not rights: they stay with the elder."""

    APPOINTMENTS = "appointments", _("Book, change and cancel appointments, and join waiting lists")
    VOUCHERS = "vouchers", _("See the voucher balance and history")
    TRANSFERS = "transfers", _("Request and follow ambulance transfers")
    MESSAGES = "messages", _("Receive copies of reminders and messages")
    VOUCHER_CODE = "voucher_code", _("Receive the one-time code of a voucher claim, to pass on to the service point")
    # The health summary (portal.visits, docs/decisions/0083).
    HEALTH_SUMMARY = "health_summary", _("Keep the health summary")


# The rights an elder can choose today (forms and the API).
RIGHTS_OFFERED = (Right.APPOINTMENTS, Right.VOUCHERS, Right.TRANSFERS, Right.MESSAGES, Right.VOUCHER_CODE,
                  Right.HEALTH_SUMMARY)


class Relationship(models.TextChoices):
    """Who the caregiver is to the elder ("your daughter"), chosen at invitation."""

    DAUGHTER = "daughter", _("daughter")
    SON = "son", _("son")
    SPOUSE = "spouse", _("spouse")
    DAUGHTER_IN_LAW = "daughter_in_law", _("daughter-in-law")
    SON_IN_LAW = "son_in_law", _("son-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    SIBLING = "sibling", _("brother or sister")
    RELATIVE = "relative", _("relative")
    FRIEND = "friend", _("friend")
    HELPER = "helper", _("domestic helper")
    OTHER = "other", _("caregiver")


class CareLinkQuerySet(models.QuerySet):
    def live(self, at=None):
        """Accepted, not revoked, and not past its end date (the last day counts)."""
        today = timezone.localdate(at or timezone.now())
        return self.filter(status=CareLink.Status.ACTIVE).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


# Constraint names.
ONE_LIVE_LINK = "care_one_live_link_per_pair"
ONE_LIVE_TRANSFER_LINK = "care_one_live_link_per_pair_and_transfer"


class CareLink(models.Model):
    """One relationship: `elder` lets `caregiver` act for them with the rights below.

    Made in one of three ways: the elder invites an e-mail address or phone number
    (status INVITED, `caregiver` empty until someone signs in with the token link
    and accepts); a caregiver asks (REQUESTED, `elder` empty when the address they
    gave has no account, so the answer never says whether it has); or centre staff
    record it on the elder's signed paper consent (INVITED, with `centre` and a
    PaperConsent). A link with `transfer` is limited to that one transfer (the
    followers of a transfer became such links)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invitation sent")
        REQUESTED = "requested", _("Waiting for the elder's answer")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Ended")

    elder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="caregiver_links",
        verbose_name=_("person cared for"),
    )
    caregiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="care_links",
        verbose_name=_("caregiver"),
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The rights (see Right): one column each, so a right is one indexed filter.
    appointments = models.BooleanField(Right.APPOINTMENTS.label, default=False)
    vouchers = models.BooleanField(Right.VOUCHERS.label, default=False)
    transfers = models.BooleanField(Right.TRANSFERS.label, default=False)
    messages = models.BooleanField(Right.MESSAGES.label, default=False)
    voucher_code = models.BooleanField(Right.VOUCHER_CODE.label, default=False)
    health_summary = models.BooleanField(Right.HEALTH_SUMMARY.label, default=False)
    end_date = models.DateField(_("last day"), null=True, blank=True,
                                help_text=_("Leave empty for no end date."))
    transfer = models.ForeignKey(
        "transfers.TransferRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="care_links",
        verbose_name=_("only for this transfer"),
    )
    # Where an invitation or request was sent: never shown as a name or account.
    invite_email = models.EmailField(_("invited e-mail address"), blank=True)
    invite_phone = models.CharField(_("invited phone number"), max_length=20, blank=True)
    invite_language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    centre = models.ForeignKey(
        "centres.ServiceCentre", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by the service centre"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")

    objects = CareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("care relationship")
        verbose_name_plural = _("care relationships")
        constraints = [
            models.CheckConstraint(condition=~Q(elder=models.F("caregiver")), name="care_not_oneself"),
            models.CheckConstraint(
                condition=~Q(status="active") | (Q(elder__isnull=False) & Q(caregiver__isnull=False)),
                name="care_active_has_both",
            ),
            models.CheckConstraint(condition=~Q(status="invited") | Q(elder__isnull=False), name="care_invited_has_elder"),
            models.CheckConstraint(condition=~Q(status="requested") | Q(caregiver__isnull=False),
                                   name="care_requested_has_caregiver"),
            # One relationship per elder and caregiver (its rights change in place).
            models.UniqueConstraint(
                fields=["elder", "caregiver"], condition=Q(status__in=["requested", "active"], transfer__isnull=True),
                name=ONE_LIVE_LINK,
            ),
            models.UniqueConstraint(
                fields=["elder", "caregiver", "transfer"],
                condition=Q(status__in=["requested", "active"], transfer__isnull=False), name=ONE_LIVE_TRANSFER_LINK,
            ),
        ]
        indexes = [
            models.Index(fields=["caregiver", "status"], name="care_link_caregiver"),
            models.Index(fields=["elder", "status"], name="care_link_elder"),
        ]

    def __str__(self) -> str:
        return f"{self.caregiver_id or self.invite_email or self.invite_phone} cares for {self.elder_id}"

    @property
    def rights(self) -> list[str]:
        return [right.value for right in Right if getattr(self, right.value)]

    @property
    def rights_labels(self) -> list[str]:
        return [str(Right(right).label) for right in self.rights]

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.ACTIVE and (self.end_date is None or self.end_date >= timezone.localdate())

    @property
    def invited_address(self) -> str:
        return self.invite_email or self.invite_phone


class CareEvent(models.Model):
    """Append-only: who made or changed a care relationship, and how."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Asked to become a caregiver")
        RECORDED = "recorded", _("Recorded by a service centre on paper consent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CHANGED = "changed", _("Rights changed")
        REVOKED = "revoked", _("Ended")
        MIGRATED = "migrated", _("Carried over from a transfer follower")

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    rights = models.JSONField(_("rights after"), default=list, blank=True)
    end_date = models.DateField(_("last day after"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("care relationship event")
        verbose_name_plural = _("care relationship events")

    def __str__(self) -> str:
        return f"{self.link_id}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Care events are append-only.")
        super().save(*args, **kwargs)


class PaperConsent(models.Model):
    """The elder's signed paper consent a service centre uploaded when it recorded
    a relationship: a file under PRIVATE_MEDIA_ROOT with a random name, streamed
    only to the elder and to staff of that centre while the elder consents to it."""

    link = models.OneToOneField(CareLink, on_delete=models.CASCADE, related_name="paper_consent")
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signed paper consent")
        verbose_name_plural = _("signed paper consents")

    def __str__(self) -> str:
        return self.original_name
