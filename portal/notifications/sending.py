"""Delivering a notification on one channel, once.

The Delivery row is the truth; Celery only carries wake-up calls.

Claim and finish (`deliver`, the one path of the task and of every delivery the
outbox sweeper queues). A caregiver's copy is sent only if, once claimed, its care
relationship still grants copies (portal.care.selectors.link_grants); if not, the
claim ends as CANCELLED. A worker sends a delivery only after claiming it with
one conditional UPDATE (PENDING and due -> SENDING, with a fresh claim token).
Only the worker whose UPDATE changed the row sends; a task run twice, or
redelivered by the broker after a restart, finds the row no longer PENDING and
does nothing. The outcome (SENT, back to PENDING, FAILED) is written with
another conditional UPDATE, only while the row is SENDING under the worker's own
claim token.

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
Permanent errors (no phone number any more, a number the provider rejects)
fail at once.

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

import logging
import random
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from .backends import PermanentSendError, TransientSendError, get_message_backend
from .models import Delivery, Notification

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


def delivery_key(delivery: Delivery) -> str:
    """Stable per notification and channel: the idempotency key given to providers."""
    return f"gba-portal-delivery-{delivery.pk}"


def _claim(delivery_id: int) -> Delivery | None:
    """PENDING and due -> SENDING under a fresh claim token, if no one else
    claimed it first; then the delivery with its message and recipient (None:
    not this worker's to send)."""
    token = uuid.uuid4()
    now = timezone.now()
    # The message's cancellation as EXISTS, not as a filter across the relation:
    # Django writes an UPDATE with a join as "id IN (SELECT ...)", and PostgreSQL
    # would then not check the state again on a row another claim changed while
    # this one waited for it.
    live = Exists(Notification.objects.filter(pk=OuterRef("notification_id"), cancelled_at__isnull=True))
    claimed = Delivery.objects.filter(
        live, id=delivery_id, state=Delivery.State.PENDING, next_attempt_at__lte=now,
    ).update(state=Delivery.State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("notification__recipient__profile").get(id=delivery_id)
    care_link_id = delivery.notification.care_link_id
    if care_link_id is not None and not _copy_still_allowed(care_link_id):
        # A caregiver's copy whose right ended (revoked, changed, or past its
        # last day) after it was written: not sent.
        _finish(delivery, state=Delivery.State.CANCELLED, last_error="The caregiver no longer receives copies.")
        return None
    return delivery


def _copy_still_allowed(care_link_id: int) -> bool:
    from portal.care.models import Right
    from portal.care.selectors import link_grants

    return link_grants(care_link_id, Right.MESSAGES)


def _finish(delivery: Delivery, **fields) -> bool:
    """Write the outcome, only while the claim is still this worker's."""
    updated = Delivery.objects.filter(
        id=delivery.pk, state=Delivery.State.SENDING, claim_token=delivery.claim_token,
    ).update(claim_token=None, **fields)
    if not updated:
        logger.warning("Delivery %s: claim lost before its outcome was written", delivery.pk)
    return bool(updated)


def _phone_of(recipient) -> str:
    profile = getattr(recipient, "profile", None)
    return str(profile.phone) if profile is not None and profile.phone else ""


def _send(delivery: Delivery) -> None:
    notification, recipient = delivery.notification, delivery.notification.recipient
    if delivery.channel == Delivery.Channel.EMAIL:
        if not recipient.email:
            raise PermanentSendError("recipient has no e-mail address")
        message = EmailMultiAlternatives(
            subject=notification.subject, body=notification.body, to=[recipient.email],
            headers={"X-Portal-Delivery": delivery_key(delivery)},
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        message.send()
        return
    phone = _phone_of(recipient)
    if not phone:
        raise PermanentSendError("recipient has no phone number")
    text = f"{notification.subject}\n{notification.body}"
    get_message_backend(delivery.channel).send(phone, text, key=delivery_key(delivery))


def deliver(delivery_id: int) -> str:
    """Send one delivery if this call wins its claim. Returns what happened:
    "sent", "retry", "failed" or "skipped" (not ours, not due, or cancelled)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    try:
        _send(delivery)
    except TRANSIENT_ERRORS as error:
        return _transient_failure(delivery, error)
    except Exception as error:
        # A permanent error (no address, number rejected): retrying will not help.
        _finish(delivery, state=Delivery.State.FAILED, last_error=_describe(error))
        logger.exception("Delivery %s failed permanently", delivery_id)
        return "failed"
    # Nothing may come between the provider call and this UPDATE (see the module docstring).
    _finish(delivery, state=Delivery.State.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _transient_failure(delivery: Delivery, error: BaseException) -> str:
    logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
    if delivery.attempts >= max_attempts():
        _finish(delivery, state=Delivery.State.FAILED, last_error=_describe(error))
        return "failed"
    delay = backoff_delay(delivery.attempts)
    next_attempt_at = timezone.now() + delay
    if _finish(delivery, state=Delivery.State.PENDING, next_attempt_at=next_attempt_at,
               queued_at=next_attempt_at, last_error=_describe(error)):
        _wake_up_later(delivery.pk, delay)
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
    worker that died. Returns how many were queued."""
    release_abandoned_claims()
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
