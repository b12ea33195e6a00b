"""Benchmark: notification deliveries per second through the real broker and a
real worker, next to the rate of the no-op task `portal.ping` through the same
broker and worker in the same run.

    DEBUG=0 SECRET_KEY=bench DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... \
        python manage.py bench_notifications --count 10000

The command starts its own worker process (like the tests' `celery_worker`
fixture) on a private queue, with null e-mail, SMS and WhatsApp backends so
output is not the bottleneck. What is measured is the delivery pipeline
(broker + worker), the thing a no-op task is the ceiling of; each rate runs
from the first publish until the last task is done, with the same publishing
threads in both phases:
- baseline: N x `portal.ping.delay()`; done when a final marker task has run;
- deliveries: N notifications are first created with the real `notify(...)`
  (rendered in the recipient's language, outbox rows inserted and committed);
  their publishing (`sending.queue`, which notify runs on commit) is held back
  and then done by the publishing threads once the clock starts. Each task
  claims its delivery (conditional UPDATE ... RETURNING), sends it through the
  e-mail backend and marks it SENT; done when all N deliveries are SENT.
  The notify() rate (the web request's share, before the pipeline) is printed
  separately, for information: it is not part of the ratio.
Bench users, their notifications and deliveries are deleted afterwards.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries

from portal.celery import app
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import notify

LANGUAGES = ("en", "zh-hant", "zh-hans")


class Command(BaseCommand):
    help = "Measure notification deliveries per second against the no-op task rate (same broker, same worker)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10000, help="Deliveries (and no-op tasks) to run.")
        parser.add_argument("--recipients", type=int, default=300, help="Distinct bench users (languages cycle).")
        parser.add_argument("--pool", default="threads", help="Worker pool (threads, prefork, solo).")
        parser.add_argument("--concurrency", type=int, default=8, help="Worker concurrency (not for solo).")
        parser.add_argument("--producers", type=int, default=4,
                            help="Threads publishing in both phases, like several web processes calling notify.")
        parser.add_argument("--timeout", type=float, default=900, help="Give up after this many seconds per phase.")

    def handle(self, *args, count: int, recipients: int, pool: str, concurrency: int, timeout: float, producers: int,
               **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0): the benchmark needs a broker.")
        if connection.vendor == "sqlite":
            raise CommandError("Use PostgreSQL (DATABASE_URL=postgres://...): the worker shares the database.")
        self.timeout = timeout
        self.producers = producers
        tag = uuid.uuid4().hex[:8]
        queue = f"bench-{tag}"
        users = self._make_users(tag, recipients)
        worker = self._start_worker(queue, pool, concurrency)
        self.worker_pid = worker.pid
        previous = (app.conf.task_always_eager, app.conf.task_default_queue)
        app.conf.task_always_eager, app.conf.task_default_queue = False, queue
        try:
            self._warm_up(users[0])
            ping_rate = self._bench_ping(count, users[0])
            delivery_rate = self._bench_deliveries(count, users)
        finally:
            app.conf.task_always_eager, app.conf.task_default_queue = previous
            worker.terminate()
            worker.wait(timeout=60)
            get_user_model().objects.filter(email__endswith=f"@{tag}.bench.invalid").delete()
        ratio = delivery_rate / ping_rate
        self.stdout.write(f"worker: pool={pool} concurrency={concurrency if pool != 'solo' else 1}; "
                          f"broker={settings.CELERY_BROKER_URL.split('@')[-1]}; count={count}; producers={producers}")
        self.stdout.write(f"no-op task (portal.ping): {ping_rate:9.1f} tasks/s")
        self.stdout.write(f"notification deliveries:  {delivery_rate:9.1f} deliveries/s")
        self.stdout.write(f"ratio: {ratio:.2f} (target >= 0.50) {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")

    def _make_users(self, tag: str, recipients: int) -> list:
        User = get_user_model()  # noqa: N806
        User.objects.bulk_create([
            User(email=f"bench{n}@{tag}.bench.invalid", language=LANGUAGES[n % 3], notify_by_email=True,
                 notify_by_sms=False, notify_by_whatsapp=False)
            for n in range(recipients)
        ])
        return list(User.objects.filter(email__endswith=f"@{tag}.bench.invalid").select_related("profile"))

    def _start_worker(self, queue: str, pool: str, concurrency: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-not-a-secret",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "SMS_BACKEND": "portal.notifications.backends.NullMessageBackend",
            "WHATSAPP_BACKEND": "portal.notifications.backends.NullMessageBackend",
        }
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}", "-Q", queue,
                   "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
        if pool != "solo":
            command.append(f"--concurrency={concurrency}")
        process = subprocess.Popen(command, env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise CommandError("The Celery worker did not start.")
        return process

    def _cpu_seconds(self) -> tuple[float, float]:
        """(CPU time of the worker's processes, busy CPU time of the whole machine),
        from /proc; the machine figure includes PostgreSQL, Redis, this command
        and whatever else runs on the machine. (0, 0) where /proc is missing."""
        try:
            ticks = os.sysconf("SC_CLK_TCK")
            # The worker and its pool processes (prefork), if any.
            children = Path(f"/proc/{self.worker_pid}/task/{self.worker_pid}/children").read_text().split()
            worker = 0.0
            for pid in [self.worker_pid, *children]:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                worker += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            cpu = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
            machine = (sum(cpu) - cpu[3] - cpu[4]) / ticks  # all but idle and iowait
        except (OSError, ValueError, IndexError):
            return 0.0, 0.0
        return worker, machine

    def _cpu_per_task(self, before: tuple[float, float], count: int) -> str:
        worker, machine = (after - then for after, then in zip(self._cpu_seconds(), before, strict=True))
        return f"CPU per task: worker {worker / count * 1000:.2f} ms, whole machine {machine / count * 1000:.2f} ms"

    def _wait(self, condition, what: str) -> float:
        deadline = time.monotonic() + self.timeout
        while not condition():
            if time.monotonic() > deadline:
                raise CommandError(f"Timed out waiting for {what}.")
            time.sleep(0.05)
        return time.perf_counter()

    def _marker_sent(self, user) -> tuple:
        """A one-delivery marker: queued last, so the worker (taking tasks in
        order) has finished everything before it once it is SENT."""
        marker = notify(recipient=user, event="welcome")
        delivery_id = marker.deliveries.get().pk
        return lambda: Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENT).exists()

    def _warm_up(self, user) -> None:
        done = self._marker_sent(user)
        self._wait(done, "the warm-up delivery")

    def _in_parallel(self, count: int, job) -> float:
        """Run job(n) for n in range(count) on the producer threads (each with its
        own database connection); returns when all calls have returned."""
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connections

        def run(part: range):
            try:
                for n in part:
                    job(n)
                    if settings.DEBUG and n % 500 == 0:
                        reset_queries()
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=self.producers) as pool:
            for future in [pool.submit(run, range(i, count, self.producers)) for i in range(self.producers)]:
                future.result()
        return time.perf_counter()

    def _bench_ping(self, count: int, user) -> float:
        from portal.celery import ping

        self.stdout.write(f"Queueing {count} no-op tasks...")
        cpu = self._cpu_seconds()
        start = time.perf_counter()
        published = self._in_parallel(count, lambda n: ping.delay())
        done = self._marker_sent(user)
        end = self._wait(done, "the no-op tasks")
        self.stdout.write(f"  published in {published - start:.1f} s, all done after {end - start:.1f} s; "
                          f"{self._cpu_per_task(cpu, count)}")
        return count / (end - start)

    def _bench_deliveries(self, count: int, users: list) -> float:
        from portal.notifications import sending

        self.stdout.write(f"Creating {count} notifications (publishing held back)...")
        ids, delivery_ids = [], []
        real_queue = sending.queue
        sending.queue = lambda batch: delivery_ids.extend(batch) or len(batch)
        try:
            created_start = time.perf_counter()
            created = self._in_parallel(
                count, lambda n: ids.append(notify(recipient=users[n % len(users)], event="welcome", link="/en/").pk)
            )
        finally:
            sending.queue = real_queue
        if len(delivery_ids) != count:
            raise CommandError(f"expected {count} deliveries to publish, got {len(delivery_ids)}")
        self.stdout.write(f"  notify(): {count / (created - created_start):.1f} calls/s (not part of the ratio)")
        self.stdout.write(f"Delivering {count} notifications...")
        cpu = self._cpu_seconds()
        start = time.perf_counter()
        published = self._in_parallel(count, lambda n: real_queue([delivery_ids[n]]))
        # Polled every 50 ms while the worker runs, so it must cost about what the
        # no-op phase's one-row poll costs: counting SENT rows among N ids built a
        # query with N parameters each time, and on 2 cores that took CPU from the
        # worker being measured. This run's deliveries were created together, so
        # their ids span one range of the primary key; each poll looks for the
        # first unsent row in it, from where the previous poll found one (SENT is
        # final, so the rows before it stay sent): starting from the bottom of the
        # range every time read every row sent so far, thousands per poll by the
        # end. The exact check by notification follows.
        end = self._wait(_all_sent_poll(min(delivery_ids), max(delivery_ids)), "the deliveries")
        self.stdout.write(f"  published in {published - start:.1f} s, all sent after {end - start:.1f} s; "
                          f"{self._cpu_per_task(cpu, count)}")
        failed = Delivery.objects.filter(notification_id__in=ids).exclude(state=Delivery.State.SENT).count()
        if failed or Notification.objects.filter(id__in=ids).count() != count:
            raise CommandError(f"{failed} deliveries were not sent.")
        return count / (end - start)


def _all_sent_poll(low: int, high: int):
    """A condition for Command._wait: True once every delivery with an id in
    [low, high] is SENT. Each call reads from the first row the previous call
    found unsent, so the rows already known to be sent are not read again."""
    first_unsent = low

    def all_sent() -> bool:
        nonlocal first_unsent
        unsent = (Delivery.objects.filter(id__range=(first_unsent, high)).exclude(state=Delivery.State.SENT)
                  .order_by("id").values_list("id", flat=True).first())
        if unsent is None:
            return True
        first_unsent = unsent
        return False

    return all_sent
