"""Delivering a notification on one channel, once.

The Delivery row is the truth; Celery only carries wake-up calls.

Claim. A worker sends a delivery only after claiming it with one conditional
UPDATE (PENDING and due -> SENDING, with a fresh claim token). Only the worker
whose UPDATE changed the row sends; a task run twice, or redelivered by the
broker after a restart, finds the row no longer PENDING and does nothing. The
outcome (SENT, back to PENDING, FAILED) is written only while the claim token is
still the worker's own.

Retries (one design: the `next_attempt_at` column, not Celery's `retry()`).
A transient error (TransientSendError, OSError -- which covers SMTP and socket
errors -- or the soft time limit) puts the row back to PENDING with
next_attempt_at = now + BACKOFF * 2**(attempts-1) (plus up to 25 % jitter, so a
provider outage does not end in one thundering herd). The worker also queues a
wake-up task with that countdown so the retry is prompt; the wake-up is only an
optimisation: the claim ignores rows that are not due, and if the wake-up is lost
the sweeper finds the due row. Because the schedule lives in PostgreSQL, retries
survive worker restarts and broker loss, which Celery's in-memory ETA retries do
not. After MAX_ATTEMPTS the row is FAILED with the last error (admins see it).
Permanent errors (no phone number any more, a template bug) fail at once.

Claim timeout. A row stuck in SENDING means its worker died mid-task. The
sweeper returns such a row to PENDING once claimed_at is older than
CLAIM_TIMEOUT, which is longer than Celery's hard task time limit: by then the
worker process that held the claim has certainly been killed, so in the normal
path a row can never be sent by two live workers. (A redelivered task cannot
take over a SENDING row; only the timeout can.)

The one at-least-once window that remains: a worker that dies after the
provider accepted the message but before its UPDATE to SENT commits. The row
then looks abandoned and is sent again after CLAIM_TIMEOUT. It is narrowed by
(1) writing SENT in the very next statement after the provider call, with
nothing else in between; (2) passing the delivery key (`key=`) to SMS/WhatsApp
backends, so providers that deduplicate by idempotency key drop the repeat;
(3) Celery's warm shutdown (SIGTERM) letting a running task finish.
"""

import dataclasses
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .backends import PermanentSendError, TransientSendError, get_message_backend
from .models import Delivery, Notification
from .rendering import RenderedMessage, render_event

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (TransientSendError, OSError, SoftTimeLimitExceeded)


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def backoff_base() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_BACKOFF_SECONDS", 30))


def claim_timeout() -> timedelta:
    # Always longer than the hard time limit, so a live worker never loses its claim.
    hard_limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 300
    return timedelta(seconds=max(getattr(settings, "NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS", 300), 2 * hard_limit))


def requeue_after() -> timedelta:
    """How long a queued delivery may wait in the broker before the sweeper
    assumes its task was lost and queues it again."""
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_REQUEUE_AFTER_SECONDS", 300))


def backoff_delay(attempts: int) -> timedelta:
    delay = backoff_base() * (2 ** max(attempts - 1, 0))
    return delay * (1 + random.random() / 4)  # noqa: S311 (jitter, not security)


@dataclass(frozen=True)
class Claim:
    """What a worker needs to send one claimed delivery (no further queries)."""

    delivery_id: int
    token: uuid.UUID
    channel: str
    attempts: int
    subject: str
    body: str
    body_html: str
    email: str
    phone: str
    notification_id: int = 0

    @property
    def key(self) -> str:
        """Stable per notification and channel: the idempotency key given to providers."""
        return f"gba-portal-delivery-{self.delivery_id}"

    @property
    def sms_text(self) -> str:
        return f"{self.subject}\n{self.body}"


def _claim(delivery_id: int) -> Claim | None:
    """PENDING and due -> SENDING, and read what sending needs, in one round trip
    on PostgreSQL (UPDATE ... FROM ... RETURNING). Each round trip counts: on a
    loaded database a delivery costs little more than its queries."""
    token = uuid.uuid4()
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _claim_postgresql(delivery_id, token, now)
    claimed = Delivery.objects.filter(
        id=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now,
        notification__cancelled_at__isnull=True,
    ).update(state=Delivery.State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notification__recipient__profile").get(id=delivery_id)
    notification = delivery.notification
    return Claim(delivery_id=delivery_id, token=token, channel=delivery.channel, attempts=delivery.attempts,
                 subject=notification.subject, body=notification.body, body_html=notification.body_html,
                 email=notification.recipient.email, phone=_phone_of(notification.recipient),
                 notification_id=notification.pk)


def _claim_postgresql(delivery_id: int, token: uuid.UUID, now) -> Claim | None:
    from portal.accounts.models import Profile, User

    sql = f"""
        UPDATE {Delivery._meta.db_table} AS d
           SET state = %(sending)s, claimed_at = %(now)s, claim_token = %(token)s, attempts = d.attempts + 1
          FROM {Notification._meta.db_table} AS n, {User._meta.db_table} AS u
         WHERE d.id = %(id)s AND d.state = %(pending)s AND d.next_attempt_at <= %(now)s
           AND n.id = d.notification_id AND n.cancelled_at IS NULL AND u.id = n.recipient_id
     RETURNING d.channel, d.attempts, n.id, n.subject, n.body, n.body_html, u.email,
               (SELECT p.phone FROM {Profile._meta.db_table} AS p WHERE p.user_id = u.id)
    """  # noqa: S608 (table names from model metadata, values as parameters)
    params = {"sending": Delivery.State.SENDING, "pending": Delivery.State.PENDING, "now": now, "token": token,
              "id": delivery_id}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    channel, attempts, notification_id, subject, body, body_html, email, phone = row
    return Claim(delivery_id=delivery_id, token=token, channel=channel, attempts=attempts, subject=subject,
                 body=body, body_html=body_html, email=email, phone=phone or "", notification_id=notification_id)


# A scheduled notification is stored with an empty subject until it comes due
# (services.notify); rendering it again is harmless, so an empty subject is a
# sufficient marker.
NOT_RENDERED = RenderedMessage(subject="", text="", html="")


def render_notification(notification: Notification) -> RenderedMessage:
    """A stored notification rendered from its context, in the language chosen
    when it was created (nothing is saved)."""
    context = {**(notification.context or {}), "recipient": notification.recipient, "link": notification.link}
    rendered = render_event(notification.event, context, notification.language)
    # Never store an empty subject: it would look unrendered for ever.
    return RenderedMessage(subject=rendered.subject or notification.event, text=rendered.text, html=rendered.html)


def render_stored(notification: Notification) -> RenderedMessage:
    """Render a stored notification and save it (only if nobody else has meanwhile)."""
    rendered = render_notification(notification)
    Notification.objects.filter(pk=notification.pk, subject="").update(
        subject=rendered.subject, body=rendered.text, body_html=rendered.html
    )
    return rendered


def render_due_notifications(batch_size: int = 500) -> int:
    """Render scheduled notifications that have come due (so the inbox and the
    deliveries show them). Returns how many were rendered."""
    due = (
        Notification.objects.filter(subject="", send_after__lte=timezone.now(), cancelled_at__isnull=True)
        .select_related("recipient__profile")
        .order_by("send_after")[:batch_size]
    )
    count = 0
    for notification in due:
        render_stored(notification)
        count += 1
    return count


def _rendered_claim(claim: Claim) -> Claim:
    """A claimed delivery of a scheduled message the sweeper has not rendered yet."""
    notification = Notification.objects.select_related("recipient__profile").get(pk=claim.notification_id)
    if notification.subject:  # rendered by someone else meanwhile
        rendered = RenderedMessage(subject=notification.subject, text=notification.body, html=notification.body_html)
    else:
        rendered = render_stored(notification)
    return dataclasses.replace(claim, subject=rendered.subject, body=rendered.text, body_html=rendered.html)


def _phone_of(recipient) -> str:
    profile = getattr(recipient, "profile", None)
    return str(profile.phone) if profile is not None and profile.phone else ""


def _send(claim: Claim) -> None:
    if claim.channel == Delivery.Channel.EMAIL:
        if not claim.email:
            raise PermanentSendError("recipient has no e-mail address")
        message = EmailMultiAlternatives(
            subject=claim.subject, body=claim.body, to=[claim.email], headers={"X-Portal-Delivery": claim.key},
        )
        if claim.body_html:
            message.attach_alternative(claim.body_html, "text/html")
        message.send()
        return
    if not claim.phone:
        raise PermanentSendError("recipient has no phone number")
    get_message_backend(claim.channel).send(claim.phone, claim.sms_text, key=claim.key)


def _finish(delivery_id: int, token: uuid.UUID, **fields) -> bool:
    """Write the outcome, only while the claim is still this worker's."""
    if connection.vendor == "postgresql":
        updated = _finish_postgresql(delivery_id, token, fields)
    else:
        updated = Delivery.objects.filter(id=delivery_id, state=Delivery.State.SENDING, claim_token=token).update(
            claim_token=None, **fields
        )
    if not updated:
        logger.warning("Delivery %s: claim lost before its outcome was written", delivery_id)
    return bool(updated)


def _finish_postgresql(delivery_id: int, token: uuid.UUID, fields: dict) -> int:
    """The same UPDATE as the ORM's, written out: it runs once per delivery, and
    building it through the ORM cost the worker about as much CPU as PostgreSQL
    spends executing it (profiled under the benchmark)."""
    columns = {Delivery._meta.get_field(name).column: value for name, value in fields.items()}
    assignments = ", ".join(f"{column} = %s" for column in columns)
    sql = (
        f"UPDATE {Delivery._meta.db_table} SET claim_token = NULL, {assignments}"  # noqa: S608 (names from model metadata)
        " WHERE id = %s AND state = %s AND claim_token = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*columns.values(), delivery_id, Delivery.State.SENDING, token])
        return cursor.rowcount


def deliver(delivery_id: int) -> str:
    """Send one delivery if this call wins its claim. Returns what happened:
    "sent", "retry", "failed" or "skipped" (not ours, not due, or cancelled)."""
    claim = _claim(delivery_id)
    if claim is None:
        return "skipped"
    try:
        if not claim.subject:
            # A template error here is permanent, like any rendering bug.
            claim = _rendered_claim(claim)
        _send(claim)
    except TRANSIENT_ERRORS as error:
        return _transient_failure(claim, error)
    except Exception as error:
        # A permanent error (no address, number rejected): retrying will not help.
        _finish(delivery_id, claim.token, state=Delivery.State.FAILED, last_error=_describe(error))
        logger.exception("Delivery %s failed permanently", delivery_id)
        return "failed"
    # Nothing may come between the provider call and this UPDATE (see the module docstring).
    _finish(delivery_id, claim.token, state=Delivery.State.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _transient_failure(claim: Claim, error: BaseException) -> str:
    logger.warning("Delivery %s failed (attempt %s): %s", claim.delivery_id, claim.attempts, error)
    if claim.attempts >= max_attempts():
        _finish(claim.delivery_id, claim.token, state=Delivery.State.FAILED, last_error=_describe(error))
        return "failed"
    delay = backoff_delay(claim.attempts)
    next_attempt_at = timezone.now() + delay
    if _finish(claim.delivery_id, claim.token, state=Delivery.State.PENDING, next_attempt_at=next_attempt_at,
               queued_at=next_attempt_at, last_error=_describe(error)):
        _wake_up_later(claim.delivery_id, delay)
    return "retry"


def _wake_up_later(delivery_id: int, delay: timedelta) -> None:
    from portal.celery import app

    from .tasks import deliver as deliver_task

    if app.conf.task_always_eager:
        return  # In-process mode has no timer: the sweeper picks the retry up.
    try:
        deliver_task.apply_async((delivery_id,), countdown=delay.total_seconds())
    except Exception:  # noqa: BLE001 (broker trouble: the sweeper will find the row)
        Delivery.objects.filter(id=delivery_id, state=Delivery.State.PENDING).update(queued_at=None)


def queue(delivery_ids: list[int]) -> int:
    """Hand deliveries to the broker; returns how many were queued. A delivery
    that could not be queued (broker unreachable) gets queued_at cleared so the
    next sweep picks it up at once; nothing is lost."""
    from .tasks import deliver as deliver_task

    for index, delivery_id in enumerate(delivery_ids):
        try:
            deliver_task.delay(delivery_id)
        except Exception:  # noqa: BLE001 (any publishing failure)
            rest = delivery_ids[index:]
            logger.warning("Could not queue deliveries %s; the outbox sweeper will", rest, exc_info=True)
            Delivery.objects.filter(id__in=rest, state=Delivery.State.PENDING).update(queued_at=None)
            return index
    return len(delivery_ids)


def release_abandoned_claims() -> int:
    """Deliveries left in SENDING by a worker that died: back to PENDING (or
    FAILED when they have used up their attempts)."""
    now = timezone.now()
    stale = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - claim_timeout())
    failed = stale.filter(attempts__gte=max_attempts()).update(
        state=Delivery.State.FAILED, claim_token=None,
        last_error="The worker sending this message stopped; no attempts left.",
    )
    released = stale.update(state=Delivery.State.PENDING, claim_token=None, next_attempt_at=now, queued_at=None)
    if failed or released:
        logger.warning("Outbox sweep: %s abandoned claims released, %s failed", released, failed)
    return released


def sweep_outbox(batch_size: int = 500, max_batches: int = 20) -> int:
    """Queue every due delivery that is not waiting in the broker already:
    scheduled reminders whose time has come, deliveries whose queueing failed
    (broker down at commit), retries whose wake-up was lost, and claims left by a
    worker that died. Scheduled messages that came due are rendered first.
    Returns how many were queued."""
    release_abandoned_claims()
    for _ in range(max_batches):
        if render_due_notifications(batch_size) < batch_size:
            break
    total = 0
    for _ in range(max_batches):
        now = timezone.now()
        with transaction.atomic():
            due = (
                Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
                .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after()))
                .order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
            )
            ids = list(due.values_list("id", flat=True)[:batch_size])
            Delivery.objects.filter(id__in=ids).update(queued_at=now)
        queued = queue(ids)
        total += queued
        if queued < len(ids) or len(ids) < batch_size:
            break
    return total
