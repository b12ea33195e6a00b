"""Writes for notifications. Other domains call `notify` inside their own
transaction; delivery is queued only after that transaction commits."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from . import sending
from .models import Delivery, Notification
from .rendering import render_notification

logger = logging.getLogger(__name__)

WELCOME_EVENT = "welcome"


def channels_for(recipient) -> list[str]:
    """The recipient's chosen channels they can be reached on (the inbox copy is
    the Notification itself and always exists)."""
    channels = []
    phone = sending._phone_of(recipient)
    if recipient.notify_by_email and recipient.email:
        channels.append(Delivery.Channel.EMAIL)
    if recipient.notify_by_sms and phone:
        channels.append(Delivery.Channel.SMS)
    if recipient.notify_by_whatsapp and phone:
        channels.append(Delivery.Channel.WHATSAPP)
    return channels


def language_of(recipient) -> str:
    """The language messages to `recipient` are written in (their own, if we have it)."""
    codes = {code for code, _name in settings.LANGUAGES}
    return recipient.language if recipient.language in codes else settings.LANGUAGE_CODE


def notify(
    *,
    recipient,
    event: str,
    context: dict | None = None,
    link: str = "",
    group_key: str = "",
    send_after: datetime | None = None,
    about=None,
    copies: bool = True,
    withhold_from_copies: dict[str, str] | None = None,
) -> Notification:
    """Record a message for `recipient` and queue its deliveries after commit.

    The message is rendered now, in the recipient's language (never the
    sender's), and stored with the notification: it says what was true when it
    was written, and every channel and the inbox show the same text
    (docs/decisions/0021). `context` must be JSON-serialisable: it is stored with
    the message, and the event's templates receive it plus `recipient` and
    `link`. `send_after` schedules the message (the outbox sweeper queues it when
    due; it shows in the inbox from then on); `group_key` lets it be cancelled
    later with `cancel_pending(group_key=...)`.

    Copies: each caregiver who may receive the recipient's messages now
    (portal.care.selectors.copy_links, the one rule; `about` names the transfer a
    message is about, for caregivers limited to one transfer) gets their own
    copy, in their own language and channels, pointing at the page they use to
    act for the recipient. A context value named in `withhold_from_copies`
    (key -> the care right that lets a caregiver see it, e.g. a one-time code)
    is left out of the copies of caregivers without that right. `copies=False`
    for messages about the recipient's own account (welcome, care links).
    The sender checks again that the right is still there just before a copy
    goes out (sending._claim).
    """
    notification = _record(recipient=recipient, event=event, context=dict(context or {}), link=link,
                           group_key=group_key, send_after=send_after)
    if copies:
        from portal.care.selectors import copy_links, copy_url

        for care_link in copy_links(recipient, about=about):
            caregiver = care_link.caregiver
            copy_context = dict(context or {})
            for key, right in (withhold_from_copies or {}).items():
                if key in copy_context and not getattr(care_link, right):
                    del copy_context[key]
                    copy_context["withheld"] = True
            _record(recipient=caregiver, event=event, context=copy_context,
                    link=copy_url(link, elder=recipient, language=language_of(caregiver)),
                    group_key=group_key, send_after=send_after, care_link=care_link)
    return notification


def _record(*, recipient, event: str, context: dict, link: str, group_key: str, send_after: datetime | None,
            care_link=None) -> Notification:
    """Write one message (rendered) and its deliveries, queued on commit."""
    now = timezone.now()
    due = send_after or now
    immediate = due <= now
    notification = Notification(
        recipient=recipient, event=event, context=context, language=language_of(recipient),
        link=link, group_key=group_key, send_after=due, care_link=care_link,
    )
    rendered = render_notification(notification)
    notification.subject, notification.body, notification.body_html = rendered.subject, rendered.text, rendered.html
    # Atomic on its own; inside the caller's transaction no savepoint is needed:
    # an error here is the caller's error.
    with transaction.atomic(savepoint=False):
        notification.save()
        deliveries = Delivery.objects.bulk_create(
            [
                # queued_at is set for immediate deliveries, which are queued on
                # commit; a failed publish clears it so the sweeper takes over (sending.queue).
                Delivery(notification=notification, channel=channel, next_attempt_at=due,
                         queued_at=now if immediate else None)
                for channel in channels_for(recipient)
            ]
        )
        if immediate and deliveries:
            ids = [delivery.id for delivery in deliveries]
            transaction.on_commit(lambda: sending.queue(ids))
    return notification


def copies_cancel(*, care_link) -> int:
    """A caregiver's copies sent through `care_link` that have not gone out are
    not sent (the relationship ended, or lost its "messages" right). What was
    sent stays in their inbox. Returns how many messages were cancelled."""
    with transaction.atomic():
        ids = list(Notification.objects.filter(care_link=care_link, cancelled_at__isnull=True,
                                               deliveries__state=Delivery.State.PENDING)
                   .values_list("id", flat=True).distinct())
        ids += list(Notification.objects.filter(care_link=care_link, cancelled_at__isnull=True,
                                                send_after__gt=timezone.now()).values_list("id", flat=True))
        if not ids:
            return 0
        # Deliveries first, as cancel_pending: a claim and this UPDATE lock the same rows.
        Delivery.objects.filter(notification_id__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED, claim_token=None)
        return Notification.objects.filter(id__in=set(ids)).update(cancelled_at=timezone.now())


def context_value_mask(*, group_key: str, event: str, key: str, mask: str) -> int:
    """Replace the value of `key` in the context of a group's `event` messages with
    `mask`, and render them again: for a value that must not outlive its use,
    such as a one-time code. What was already sent is not recalled. Returns how
    many messages changed."""
    changed = 0
    messages = Notification.objects.select_for_update(of=("self",)).select_related(
        "recipient__profile", "care_link__elder__profile")
    for notification in messages.filter(group_key=group_key, event=event):
        if (notification.context or {}).get(key) in (None, mask):
            continue
        notification.context = {**notification.context, key: mask}
        rendered = render_notification(notification)
        Notification.objects.filter(pk=notification.pk).update(
            context=notification.context, subject=rendered.subject, body=rendered.text, body_html=rendered.html)
        changed += 1
    return changed


def cancel_pending(*, group_key: str, unsent: bool = False) -> int:
    """Cancel every scheduled message of a group that has not been sent (e.g. the
    reminders of a cancelled or changed appointment): reminders not yet due, and
    reminders that came due but whose deliveries are still waiting. Messages sent
    already, and immediate messages, stay -- unless `unsent` is true: then an
    immediate message whose deliveries still wait is cancelled too (for a group
    that holds only reminders, such as an appointment's, whose reminders are
    created as immediate messages when they come due). Returns how many were
    cancelled."""
    if not group_key:
        return 0
    now = timezone.now()
    waiting = Q(deliveries__state=Delivery.State.PENDING)
    if not unsent:
        waiting &= Q(send_after__gt=F("created_at"))
    with transaction.atomic():
        scheduled = Notification.objects.filter(group_key=group_key, cancelled_at__isnull=True).filter(
            Q(send_after__gt=now) | waiting
        )
        ids = list(scheduled.values_list("id", flat=True).distinct())
        if not ids:
            return 0
        # Deliveries first: a worker's claim (PENDING -> SENDING) and this UPDATE
        # lock the same rows, so exactly one of them wins.
        Delivery.objects.filter(notification_id__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED, claim_token=None
        )
        return Notification.objects.filter(id__in=ids).update(cancelled_at=now)


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own due messages read (all of them when no ids are given)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True, send_after__lte=timezone.now())
    if notification_ids is not None:
        queryset = queryset.filter(id__in=notification_ids)
    return queryset.update(read_at=timezone.now())


def deliveries_resend(*, actor, delivery_ids: list[int]) -> int:
    """Admin action: put the chosen deliveries back to PENDING with a fresh set of
    attempts and queue them after commit. Deliveries being sent right now are left
    alone (resetting them could send twice). Returns how many were reset."""
    now = timezone.now()
    with transaction.atomic():
        resettable = Delivery.objects.filter(id__in=delivery_ids).exclude(state=Delivery.State.SENDING)
        ids = list(resettable.select_for_update().values_list("id", flat=True))
        Delivery.objects.filter(id__in=ids).update(
            state=Delivery.State.PENDING, attempts=0, next_attempt_at=now, queued_at=now,
            claim_token=None, claimed_at=None, last_error="",
        )
        # A resent message is wanted now, even if its notification was cancelled.
        Notification.objects.filter(deliveries__id__in=ids, cancelled_at__isnull=False).update(cancelled_at=None)
        logger.info("Deliveries %s resent by user %s", ids, getattr(actor, "pk", None))
        if ids:
            transaction.on_commit(lambda: sending.queue(ids))
    return len(ids)


def notify_welcome(*, user) -> Notification | None:
    """The welcome message, sent once per user when they confirm an e-mail address
    (called from allauth's email_confirmed signal, see apps.py)."""
    with transaction.atomic():
        # Lock the user row so two confirmations at once cannot both welcome.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        if Notification.objects.filter(recipient=user, event=WELCOME_EVENT).exists():
            return None
        with translation.override(language_of(user)):
            link = reverse("core:home")
        return notify(recipient=user, event=WELCOME_EVENT, context={}, link=link, group_key=f"welcome:{user.pk}",
                      copies=False)
