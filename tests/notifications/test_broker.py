"""The outbox against PostgreSQL, a real Redis broker and a real worker process.

The worker records SMS in a JSON-lines file (FileMessageBackend), so these tests
count what was handed to the "provider", not only database states."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.notifications import sending, tasks
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import notify
from tests.conftest import wait_for

from .conftest import make_recipient

pytestmark = pytest.mark.broker


@pytest.fixture
def sms_file(tmp_path, monkeypatch):
    path = tmp_path / "sms.jsonl"
    path.touch()
    failures = tmp_path / "failures"
    failures.write_text("0")
    monkeypatch.setenv("TEST_SMS_BACKEND", "tests.notifications.backends.FlakyFileBackend")
    monkeypatch.setenv("MESSAGE_FILE_PATH", str(path))
    monkeypatch.setenv("FLAKY_FAILURES", str(failures))
    monkeypatch.setenv("NOTIFICATIONS_BACKOFF_SECONDS", "0.2")
    monkeypatch.setenv("NOTIFICATIONS_MAX_ATTEMPTS", "3")
    return path


@pytest.fixture
def worker(sms_file, celery_worker):
    """The real worker, started after sms_file has set its environment."""
    return celery_worker


def _sent_sms(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _sms_user(language="en"):
    return make_recipient(language, email=False, sms=True)


def _state(delivery_id):
    return Delivery.objects.values_list("state", flat=True).get(pk=delivery_id)


def _drain(worker):
    """Wait until the worker has processed everything queued before this call
    (the solo worker takes tasks in order): queue a sentinel and wait for it."""
    sentinel = notify(recipient=_sms_user(), event="welcome")
    delivery_id = sentinel.deliveries.get().pk
    wait_for(lambda: _state(delivery_id) == Delivery.State.SENT)


def test_a_notification_in_a_rolled_back_transaction_is_never_sent(worker, sms_file, monkeypatch):
    user = _sms_user()
    published = []
    real_delay = tasks.deliver.delay
    monkeypatch.setattr(tasks.deliver, "delay", lambda *args: published.append(args) or real_delay(*args))
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=user, event="welcome")
        raise RuntimeError("the booking failed")
    assert published == []
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Delivery.objects.filter(notification__recipient=user).exists()
    _drain(worker)
    assert len(published) == 1  # Only the sentinel was ever queued...
    assert len(_sent_sms(sms_file)) == 1  # ...and only it was sent.


def test_a_notification_committed_while_the_broker_is_down_is_sent_by_the_sweeper(worker, sms_file, monkeypatch):
    user = _sms_user("zh-hant")

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as broken:
        broken.setattr(tasks.deliver, "delay", broker_down)
        with transaction.atomic():
            notification = notify(recipient=user, event="welcome")
        delivery = notification.deliveries.get()
        delivery.refresh_from_db()
        assert (delivery.state, delivery.queued_at) == (Delivery.State.PENDING, None)
    # The broker is back: beat's periodic sweep runs on the worker and queues it.
    tasks.sweep_outbox.delay()
    wait_for(lambda: _state(delivery.pk) == Delivery.State.SENT)
    (sms,) = _sent_sms(sms_file)
    assert sms["body"].startswith(notification.subject)
    assert sms["key"] == f"gba-portal-delivery-{delivery.pk}"


def test_a_task_run_twice_or_redelivered_with_the_same_id_sends_once(worker, sms_file, monkeypatch):
    user = _sms_user()
    with monkeypatch.context() as held:
        held.setattr(sending, "queue", lambda ids: 0)  # Committed, not queued yet.
        notification = notify(recipient=user, event="welcome")
    delivery_id = notification.deliveries.get().pk
    task_id = str(uuid.uuid4())
    tasks.deliver.apply_async((delivery_id,), task_id=task_id)
    tasks.deliver.apply_async((delivery_id,), task_id=task_id)  # the broker redelivers the same task
    tasks.deliver.delay(delivery_id)  # and someone queues it again
    _drain(worker)
    assert _state(delivery_id) == Delivery.State.SENT
    assert Delivery.objects.get(pk=delivery_id).attempts == 1
    assert [sms["key"] for sms in _sent_sms(sms_file)].count(f"gba-portal-delivery-{delivery_id}") == 1


def test_transient_failures_are_retried_with_back_off_by_the_worker(worker, sms_file, tmp_path):
    (tmp_path / "failures").write_text("2")
    notification = notify(recipient=_sms_user(), event="welcome")
    delivery_id = notification.deliveries.get().pk
    wait_for(lambda: _state(delivery_id) == Delivery.State.SENT)
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.attempts == 3
    assert len(_sent_sms(sms_file)) == 1


def test_the_worker_gives_up_after_the_attempt_limit(worker, sms_file, tmp_path):
    (tmp_path / "failures").write_text("99")
    notification = notify(recipient=_sms_user(), event="welcome")
    delivery_id = notification.deliveries.get().pk
    wait_for(lambda: _state(delivery_id) == Delivery.State.FAILED)
    delivery = Delivery.objects.get(pk=delivery_id)
    assert (delivery.attempts, delivery.last_error) == (3, "TransientSendError: provider busy")
    assert _sent_sms(sms_file) == []


def test_a_claim_left_by_a_killed_worker_is_sent_after_the_claim_timeout(worker, sms_file, monkeypatch):
    with monkeypatch.context() as held:
        held.setattr(sending, "queue", lambda ids: 0)
        notification = notify(recipient=_sms_user(), event="welcome")
    delivery_id = notification.deliveries.get().pk
    # A worker claimed it and was killed (kill -9) before sending anything.
    Delivery.objects.filter(pk=delivery_id).update(
        state=Delivery.State.SENDING, attempts=1, claim_token=uuid.uuid4(),
        claimed_at=timezone.now() - sending.claim_timeout() - timedelta(seconds=1))
    tasks.deliver.delay(delivery_id)  # The broker's redelivery of the killed task cannot take it over...
    _drain(worker)
    assert _state(delivery_id) == Delivery.State.SENDING
    tasks.sweep_outbox.delay()  # ...only the sweeper, once the claim has timed out.
    wait_for(lambda: _state(delivery_id) == Delivery.State.SENT)
    assert Delivery.objects.get(pk=delivery_id).attempts == 2
    assert len([s for s in _sent_sms(sms_file) if s["key"] == f"gba-portal-delivery-{delivery_id}"]) == 1
