"""Notification deliveries per second through the real broker and a real worker,
next to a no-op task through the same broker and worker in the same run.

Both phases are measured the same way: the tasks are published first to a queue
no worker consumes (for deliveries, by the portal's own `notify()`, which writes
the outbox rows and queues on commit), then the worker is told to consume that
queue and the clock runs until the queue is empty and nothing is left
unacknowledged (tasks are acknowledged after they have run). Publishing is left
out of both. After the delivery phase every delivery must be SENT."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import redis
from django.conf import settings

from portal.celery import app
from portal.notifications.models import Delivery
from portal.notifications.services import notify

from . import fixtures
from .load import ROOT


@dataclass
class Figure:
    ratio: float
    deliveries_per_second: float
    noops_per_second: float
    count: int


class Worker:
    """A Celery worker of bench.worker (the portal's tasks plus `bench.noop`), with
    null message backends so sending is not the bottleneck."""

    def __init__(self, *, pool: str, concurrency: int):
        self.name = f"bench-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
               "SMS_BACKEND": "portal.notifications.backends.NullMessageBackend",
               "WHATSAPP_BACKEND": "portal.notifications.backends.NullMessageBackend"}
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "bench.worker", "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "-Q", f"{self.name}-idle", "-n", f"{self.name}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"], env=env, cwd=ROOT)
        self.destination = [f"{self.name}@{os.uname().nodename}"]
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=self.destination, timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError("The Celery worker did not start")

    def drain(self, queue: str, broker: redis.Redis, timeout: float = 900) -> float:
        """Start consuming `queue`; seconds until it is empty and nothing is unacknowledged."""
        started = time.perf_counter()
        app.control.add_consumer(queue, destination=self.destination, reply=True)
        deadline = time.monotonic() + timeout
        while broker.llen(queue) or broker.hlen("unacked"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{queue} was not drained in {timeout} s")
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        app.control.cancel_consumer(queue, destination=self.destination, reply=True)
        return elapsed

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def run(*, count: int, pool: str, concurrency: int, log) -> Figure:
    from .worker import noop

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    recipients = fixtures.residents(300, prefix="recipient")
    worker = Worker(pool=pool, concurrency=concurrency)
    previous = app.conf.task_default_queue
    try:
        app.conf.task_default_queue = f"{worker.name}-noop"
        for _ in range(count):
            noop.delay()
        noop_seconds = worker.drain(f"{worker.name}-noop", broker)
        log(f"    no-op tasks: {count / noop_seconds:,.0f}/s")

        app.conf.task_default_queue = f"{worker.name}-deliveries"
        ids = [notify(recipient=recipients[n % len(recipients)], event="welcome", link="/en/").pk
               for n in range(count)]
        delivery_seconds = worker.drain(f"{worker.name}-deliveries", broker)
        log(f"    deliveries: {count / delivery_seconds:,.0f}/s")
        unsent = Delivery.objects.filter(notification_id__in=ids).exclude(state=Delivery.State.SENT).count()
        if unsent:
            raise RuntimeError(f"{unsent} deliveries were not sent")
    finally:
        app.conf.task_default_queue = previous
        worker.stop()
        fixtures.forget()
    return Figure(ratio=noop_seconds / delivery_seconds, deliveries_per_second=count / delivery_seconds,
                  noops_per_second=count / noop_seconds, count=count)
