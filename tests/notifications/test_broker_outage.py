"""Issue 15, "a broker outage slows writes": each notified recipient added about
0.7 s to the request while the broker was unreachable (Celery retried the
publish, and kombu kept reconnecting). Now a write makes one connection attempt
with a short timeout and no publish retry; what could not be queued is left to
the outbox sweeper. (No timed assertion: the figure is measured by hand, see
docs/notifications.md.)"""

import socket

import kombu
import pytest
from django.conf import settings
from django.core import mail

from portal.notifications import sending
from portal.notifications.models import Delivery
from portal.notifications.services import notify

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_broker(monkeypatch):
    """The app publishes to a broker on a port nobody listens on; every connection
    attempt and publish is recorded."""
    from portal.celery import app

    attempts, publishes = [], []
    connect, publish = kombu.Connection._ensure_connection, kombu.Producer.publish

    def record_attempt(self, *args, **kwargs):
        attempts.append(kwargs)
        return connect(self, *args, **kwargs)

    def record_publish(self, body, **kwargs):
        publishes.append(kwargs)
        return publish(self, body, **kwargs)

    monkeypatch.setattr(kombu.Connection, "_ensure_connection", record_attempt)
    monkeypatch.setattr(kombu.Producer, "publish", record_publish)
    # The app keeps its connection and producer pools: new ones for the closed port,
    # the previous ones back afterwards.
    # (The write URL: Celery prefers a CELERY_BROKER_URL in the environment to broker_url.)
    previous = (app.conf.task_always_eager, app.conf.get("broker_write_url"), app._pool, app.amqp._producer_pool)
    app.conf.task_always_eager, app.conf.broker_write_url = False, f"redis://127.0.0.1:{_closed_port()}/0"
    app._pool = app.amqp._producer_pool = None
    try:
        yield attempts, publishes
    finally:
        app.conf.task_always_eager, app.conf.broker_write_url, app._pool, app.amqp._producer_pool = previous


def test_the_publish_settings_fail_fast():
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 0.1
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["max_retries"] == 0 and options["socket_connect_timeout"] <= 0.1


def test_a_write_tries_the_broker_once_and_leaves_the_rest_to_the_sweeper(
        unreachable_broker, recipient, django_capture_on_commit_callbacks):
    attempts, publishes = unreachable_broker
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=recipient, event="welcome")
    deliveries = list(notification.deliveries.all())
    assert len(deliveries) == 3  # e-mail, SMS and WhatsApp
    # One publish, not retried; one connection attempt, not retried, with the short timeout.
    assert [publish.get("retry") for publish in publishes] == [False]
    assert len(attempts) == 1
    assert attempts[0]["max_retries"] == 0 and attempts[0]["timeout"] <= 0.1
    # Nothing is lost: the rows wait for the sweeper, which queues them once the broker is back.
    assert all(delivery.queued_at is None and delivery.state == Delivery.State.PENDING for delivery in deliveries)
    from portal.celery import app

    app.conf.task_always_eager = True  # the broker is back (the fixture puts the setting back)
    assert sending.sweep_outbox() == 3
    assert len(mail.outbox) == 1 and recipient.email in mail.outbox[0].to
