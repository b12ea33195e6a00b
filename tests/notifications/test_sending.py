"""Delivery: claim, idempotency, retries with back-off, give-up, abandoned claims."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.notifications import sending
from portal.notifications.backends import LocmemMessageBackend, TransientSendError
from portal.notifications.models import Delivery
from portal.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_delivery(notify_committed):
    def make(recipient, **kwargs) -> Delivery:
        notification = notify_committed(recipient=recipient, event="welcome", **kwargs)
        return notification.deliveries.get(channel=Delivery.Channel.EMAIL)

    return make


class FailingBackend:
    """An SMS backend that fails with the error class set on it."""

    error: type[Exception] = TransientSendError
    calls = 0

    def __init__(self, channel):
        self.channel = channel

    def send(self, to, body, *, key=""):
        FailingBackend.calls += 1
        raise FailingBackend.error("provider timeout")


@pytest.fixture
def failing_sms(settings):
    settings.SMS_BACKEND = "tests.notifications.test_sending.FailingBackend"
    FailingBackend.calls = 0
    FailingBackend.error = TransientSendError
    return FailingBackend


def test_notify_outside_a_transaction_delivers_every_chosen_channel_once(recipient, notify_committed):
    notification = notify_committed(recipient=recipient, event="welcome")
    assert sorted(notification.deliveries.values_list("channel", "state")) == [
        ("email", "sent"), ("sms", "sent"), ("whatsapp", "sent")]
    assert len(mail.outbox) == 1
    assert [(m["channel"], m["to"]) for m in LocmemMessageBackend.outbox] == [
        ("sms", "+85291234567"), ("whatsapp", "+85291234567")]
    assert LocmemMessageBackend.outbox[0]["key"] == f"gba-portal-delivery-{notification.deliveries.get(channel='sms').pk}"


def test_a_delivery_run_twice_sends_once(recipient, settings, email_delivery):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    delivery = email_delivery(recipient)
    mail.outbox.clear()
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, attempts=0)
    assert sending.deliver(delivery.pk) == "sent"
    assert sending.deliver(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.claim_token) == (Delivery.State.SENT, 1, None)


def test_a_worker_that_lost_its_claim_cannot_overwrite_the_outcome(recipient, email_delivery):
    delivery = email_delivery(recipient)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    first = sending._claim(delivery.pk)
    # The sweeper declared the claim abandoned and another worker claimed it again.
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    second = sending._claim(delivery.pk)
    assert second.claim_token != first.claim_token
    assert sending._finish(first, state=Delivery.State.FAILED) is False
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENDING
    assert sending._finish(second, state=Delivery.State.FAILED) is True


def test_a_claimed_delivery_cannot_be_claimed_again(recipient, email_delivery):
    delivery = email_delivery(recipient)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    assert sending._claim(delivery.pk) is not None
    assert sending._claim(delivery.pk) is None  # SENDING now: a second task does nothing
    assert sending.deliver(delivery.pk) == "skipped"


def test_one_delivery_costs_three_queries(recipient, email_delivery, django_assert_num_queries):
    delivery = email_delivery(recipient)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    # the claim (a conditional UPDATE), the delivery with its message and
    # recipient, the outcome (a conditional UPDATE)
    with django_assert_num_queries(3):
        assert sending.deliver(delivery.pk) == "sent"


def test_transient_errors_back_off_exponentially_then_give_up(recipient, failing_sms, settings, notify_committed):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    settings.NOTIFICATIONS_BACKOFF_SECONDS = 30
    notification = notify_committed(recipient=recipient, event="welcome")
    sms = notification.deliveries.get(channel=Delivery.Channel.SMS)
    delays = []
    for attempt in range(1, 4):
        sms.refresh_from_db()
        assert (sms.state, sms.attempts) == (Delivery.State.PENDING, attempt)
        assert "provider timeout" in sms.last_error
        delays.append((sms.next_attempt_at - sms.claimed_at).total_seconds())
        # Not due yet: a wake-up before the back-off is over does nothing.
        assert sending.deliver(sms.pk) == "skipped"
        Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        assert sending.deliver(sms.pk) == ("retry" if attempt < 3 else "failed")
    for attempt, delay in enumerate(delays, start=1):
        base = 30 * 2 ** (attempt - 1)
        assert base <= delay <= base * 1.25 + 1
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, failing_sms.calls) == (Delivery.State.FAILED, 4, 4)
    assert "TransientSendError: provider timeout" in sms.last_error
    # The other channels were not held back by the failing one.
    assert notification.deliveries.get(channel="email").state == Delivery.State.SENT


def test_a_permanent_error_fails_at_once(recipient, failing_sms, notify_committed):
    failing_sms.error = ValueError
    notification = notify_committed(recipient=recipient, event="welcome")
    sms = notification.deliveries.get(channel=Delivery.Channel.SMS)
    assert (sms.state, sms.attempts, failing_sms.calls) == (Delivery.State.FAILED, 1, 1)
    assert "ValueError" in sms.last_error


def test_a_phone_number_removed_after_notify_fails_the_sms_without_retrying(recipient):
    notification = notify(recipient=recipient, event="welcome", send_after=timezone.now() + timedelta(hours=1))
    recipient.profile.phone = ""
    recipient.profile.save()
    Delivery.objects.filter(notification=notification).update(next_attempt_at=timezone.now())
    sending.sweep_outbox()
    sms = notification.deliveries.get(channel=Delivery.Channel.SMS)
    assert sms.state == Delivery.State.FAILED
    assert "no phone number" in sms.last_error


def test_the_sweeper_releases_a_claim_abandoned_by_a_killed_worker(recipient, settings, email_delivery):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 300
    delivery = email_delivery(recipient)
    mail.outbox.clear()
    # A worker claimed the row, then died before sending.
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, attempts=0)
    assert sending._claim(delivery.pk)
    assert sending.sweep_outbox() == 0  # Still within the claim timeout: not touched.
    assert len(mail.outbox) == 0
    old = timezone.now() - sending.claim_timeout() - timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=old)
    assert sending.sweep_outbox() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, len(mail.outbox)) == (Delivery.State.SENT, 2, 1)


def test_the_claim_timeout_outlasts_the_hard_task_time_limit(settings):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 10
    settings.CELERY_TASK_TIME_LIMIT = 120
    assert sending.claim_timeout() >= timedelta(seconds=240)


def test_an_abandoned_claim_with_no_attempts_left_is_failed(recipient, settings, email_delivery):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    delivery = email_delivery(recipient)
    old = timezone.now() - sending.claim_timeout() - timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.SENDING, attempts=2, claimed_at=old)
    sending.sweep_outbox()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert "stopped" in delivery.last_error


def test_the_sweeper_does_not_requeue_what_waits_in_the_broker(recipient, settings, monkeypatch, email_delivery):
    queued = []
    monkeypatch.setattr(sending, "queue", lambda ids: queued.extend(ids) or len(ids))
    settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS = 300
    delivery = email_delivery(recipient)  # "queued" on commit; the task is still in the broker
    assert len(queued) == 3 and delivery.pk in queued
    queued.clear()
    assert sending.sweep_outbox() == 0
    Delivery.objects.filter(pk=delivery.pk).update(queued_at=timezone.now() - timedelta(seconds=301))
    assert sending.sweep_outbox() == 1
    assert queued == [delivery.pk]


def test_a_delivery_whose_message_was_cancelled_is_not_claimed(recipient, email_delivery):
    """Cancelled while being sent, then back to PENDING for a retry: not sent again."""
    delivery = email_delivery(recipient)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    delivery.notification.__class__.objects.filter(pk=delivery.notification_id).update(cancelled_at=timezone.now())
    assert sending._claim(delivery.pk) is None
    assert sending.deliver(delivery.pk) == "skipped"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claim_that_waited_for_another_claim_of_the_row_does_not_claim_it_too(recipient, email_delivery):
    """Another worker's claim holds the row (its transaction not yet committed);
    this claim's UPDATE waits for it, then finds the row SENDING and claims nothing."""
    import threading

    from django.db import connection, connections, transaction

    delivery = email_delivery(recipient)
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING)
    claimed, release, outcome = threading.Event(), threading.Event(), {}

    def other_worker():
        try:
            with transaction.atomic():
                outcome["first"] = sending._claim(delivery.pk)
                outcome["pid"] = connection.connection.info.backend_pid
                claimed.set()
                assert release.wait(30)
        finally:
            connections.close_all()

    def this_worker():
        try:
            outcome["second"] = sending._claim(delivery.pk)
        finally:
            connections.close_all()

    first = threading.Thread(target=other_worker)
    first.start()
    assert claimed.wait(30)
    second = threading.Thread(target=this_worker)
    second.start()
    pause = threading.Event()
    for _ in range(3000):  # until the second claim waits for the first one's row lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND %s = ANY(pg_blocking_pids(pid))", [outcome["pid"]])
            if cursor.fetchone()[0]:
                break
        pause.wait(0.01)
    else:
        pytest.fail("the second claim never waited for the first")
    release.set()
    first.join(30)
    second.join(30)
    assert outcome["first"] is not None and outcome["second"] is None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENDING, 2)
