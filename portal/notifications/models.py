"""The notification outbox.

A Notification is one message to one person (and is also their inbox copy).
A Delivery is that message on one channel; its id is the delivery key that makes
sending idempotent: a task sends a delivery only after claiming it with a
conditional update from PENDING to SENDING.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("event"), max_length=80, db_index=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    # Rendered once, in the recipient's language, when the notification is created.
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    # The HTML e-mail, rendered with the text so every channel says the same thing
    # in the same language, and a worker renders nothing (empty: text-only e-mail).
    body_html = models.TextField(_("HTML message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Groups messages about one thing (e.g. "appointment:42") so that pending
    # reminders can be cancelled when the thing is cancelled or changed.
    group_key = models.CharField(max_length=120, blank=True, db_index=True)
    send_after = models.DateTimeField(_("send after"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # A caregiver's copy of a message to the person they care for, sent through
    # this care relationship (empty: the recipient's own message). The sender
    # checks the relationship still grants copies just before sending.
    care_link = models.ForeignKey("care.CareLink", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="copies", verbose_name=_("copy through care relationship"))

    class Meta:
        ordering = ["-send_after", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.event} -> {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # No index of its own on notification_id or next_attempt_at: the unique
    # (notification, channel) constraint and the (state, next_attempt_at) index
    # already serve those lookups, and every claim and outcome UPDATE changes
    # `state` (so it cannot be a HOT update) and has to write into every index
    # of the table, twice per delivery.
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     db_index=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # When a task for this row was last handed to the broker (None: not queued,
    # e.g. a reminder not yet due or a failed publish). The sweeper re-queues a
    # due row only if this is empty or old, so a long queue is not duplicated.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # A fresh token per claim. The worker that claimed the row writes its outcome
    # only while the token is still its own, so a worker that lost its claim
    # (declared dead by the sweeper) cannot overwrite the next attempt's result.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notif_delivery_one_per_channel")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notif_delivery_due")]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel}: {self.state}"
