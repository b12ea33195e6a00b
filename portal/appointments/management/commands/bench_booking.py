"""Bookings per second under concurrency, next to a plain indexed insert rate
measured in the same run on the same database.

    DEBUG=0 SECRET_KEY=bench DATABASE_URL=postgres://... python manage.py bench_booking --processes 4 --per-process 100

All phases run in the same number of worker PROCESSES (forked from this one,
each with its own database connection), as a web server's worker processes
would serve requests: a booking's Python work then uses every core, as it does in production, instead of
queueing on one interpreter lock. The parent builds the URL resolver's tables
first (`_load_url_tables`, as a long-lived web worker has them after its first
requests), so the forked processes inherit them: built lazily, they cost
each fresh process about 35 ms of CPU on its first booking, a third of a
process's 100 bookings, which a long-lived web worker pays once. Each process
then opens its connection and waits on a barrier; the rate is the requests of
all processes divided by the time from the barrier until the last process has
finished. The phases are measured in turn
`--rounds` times (default 3), each round with its own residents, slots and
baseline rows; every round is printed, and the ratio is the median of the
rounds' ratios (the machines are shared, and a load spike in one phase would
otherwise decide the figure).

Each booking is the full service (`services.appointment_book`, called outside
a transaction as a web request calls it): lock the slot row, count, insert the
appointment with its event row and the confirmation notification (rendered in
the resident's language) with its deliveries. The reminders are created by the reminder sweep when they
come due, not at booking (`services.appointment_reminders_send`).
Delivery is queued to workers in production, so the bench does not publish
them: `sending.queue` is stubbed; everything else is the production code.

The baseline inserts the same number of rows, one transaction each
(BEGIN, INSERT, COMMIT: `transaction.atomic()` around the insert), into a table
shaped like the appointments table with the same kinds of indexes; the target
ratio is against it, as it has been since the bench was written. Each round also
measures the same INSERT in autocommit mode (one round trip, like the booking
statement), and prints the booking's ratio to that too: the stricter
comparison. Everything the bench creates is deleted at the end.

Figures: docs/appointments.md, "Benchmark"."""

import contextlib
import multiprocessing
import statistics
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.urls import get_resolver
from django.utils import timezone, translation

from portal.accounts.models import Profile, User
from portal.appointments import services
from portal.appointments.models import Appointment, Slot
from portal.hospitals.models import City, Department, Hospital, Specialty

BASELINE_TABLE = "bench_plain_booking"


class Command(BaseCommand):
    help = "Measure booking throughput under concurrency against a plain indexed insert (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=4, help="worker processes, the same for both phases")
        parser.add_argument("--per-process", type=int, default=100)
        parser.add_argument("--capacity", type=int, default=4, help="places per slot (processes contend for slots)")
        parser.add_argument("--rounds", type=int, default=3,
                            help="baseline and booking phases measured in turn this many times; the ratio is the median")

    def handle(self, *args, processes, per_process, capacity, rounds, **options):
        if not settings.USING_POSTGRES:
            raise CommandError("bench_booking needs PostgreSQL (set DATABASE_URL=postgres://...)")
        total = processes * per_process
        tag = uuid.uuid4().hex[:8]
        from portal.notifications import services as notification_services

        original_queue = notification_services.sending.queue
        notification_services.sending.queue = lambda ids: len(ids)  # workers deliver in production
        results = []
        self._load_url_tables()  # before forking: see the method
        try:
            hospital, residents, slots = self._setup(tag, total * rounds, capacity)
            per_round = len(slots) // rounds
            # On a shared machine the load changes from second to second: each
            # round measures both phases back to back, so each ratio compares
            # like with like, and the median ignores a round hit by a spike.
            for number in range(rounds):
                insert_rate = self._baseline(processes, per_process, offset=2 * number * total)
                autocommit_rate = self._baseline(processes, per_process, offset=(2 * number + 1) * total,
                                                 autocommit=True)
                booking_rate, taken = self._bookings(processes, per_process, residents[number * total:(number + 1) * total],
                                                     slots[number * per_round:(number + 1) * per_round])
                results.append((insert_rate, autocommit_rate, booking_rate, taken))
            written = self._written(hospital, tag)
        finally:
            notification_services.sending.queue = original_queue
            self._teardown(tag)
        self.stdout.write(f"processes={processes} requests={total} per phase and round, rounds={rounds}, "
                          f"capacity/slot={capacity}")
        for number, (insert_rate, autocommit_rate, booking_rate, taken) in enumerate(results, 1):
            self.stdout.write(f"round {number}: plain indexed insert {insert_rate:8.1f} rows/s "
                              f"(autocommit {autocommit_rate:8.1f}), booking {booking_rate:8.1f} bookings/s "
                              f"({taken} got 'taken'), ratio {booking_rate / insert_rate:.2f} "
                              f"(to autocommit {booking_rate / autocommit_rate:.2f})")
        self.stdout.write(f"plain indexed insert:   {statistics.median(r[0] for r in results):8.1f} rows/s (median), "
                          "a transaction each")
        self.stdout.write(f"plain INSERT, autocommit: {statistics.median(r[1] for r in results):6.1f} rows/s (median)")
        self.stdout.write(f"booking (full service): {statistics.median(r[2] for r in results):8.1f} bookings/s (median)")
        self.stdout.write("written by the bookings: " + ", ".join(f"{count} {name}" for name, count in written.items()))
        ratio = statistics.median(r[2] / r[0] for r in results)
        strict = statistics.median(r[2] / r[1] for r in results)
        self.stdout.write(f"ratio: {ratio:.2f} (median of the rounds; target >= 0.30); "
                          f"to the autocommit INSERT: {strict:.2f}")

    @staticmethod
    def _load_url_tables() -> None:
        """Import the URLconf and build its reverse tables in every language, as a
        long-lived web worker has after its first requests; otherwise each forked
        bench process pays that on its first booking."""
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                get_resolver().reverse_dict  # noqa: B018 (the property builds the tables)

    def _setup(self, tag, total, capacity):
        city, _created = City.objects.get_or_create(code="bench-city", defaults={"name_en": "Bench", "region": "mainland"})
        specialty, _created = Specialty.objects.get_or_create(code="bench-specialty", defaults={"name_en": "Bench"})
        hospital = Hospital.objects.create(slug=f"bench-{tag}", name_en="Bench hospital", city=city)
        department = Department.objects.create(hospital=hospital, specialty=specialty)
        residents = []
        for index in range(total):
            user = User.objects.create(email=f"bench-{tag}-{index}@example.invalid", language="en")
            Profile.objects.create(user=user, travel_permit_number=f"B{tag}{index:06d}"[:16])
            residents.append(user)
        start = timezone.now() + timedelta(days=2)
        slots = Slot.objects.bulk_create([
            Slot(department=department, starts_at=start + timedelta(minutes=15 * i),
                 ends_at=start + timedelta(minutes=15 * (i + 1)), capacity=capacity)
            for i in range(total // capacity + 1)
        ])
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
            cursor.execute(f"""CREATE TABLE {BASELINE_TABLE} (
                id bigserial PRIMARY KEY, reference varchar(12) UNIQUE NOT NULL, resident_id bigint NOT NULL,
                slot_id bigint NOT NULL, starts_at timestamptz NOT NULL, seat smallint NOT NULL,
                reason varchar(500) NOT NULL, status varchar(10) NOT NULL, created_at timestamptz NOT NULL)""")
            cursor.execute(f"CREATE UNIQUE INDEX {BASELINE_TABLE}_seat ON {BASELINE_TABLE} (slot_id, seat)")
            cursor.execute(f"CREATE INDEX {BASELINE_TABLE}_resident ON {BASELINE_TABLE} (resident_id, starts_at)")
        return hospital, residents, slots

    def _run(self, processes, work) -> tuple[float, list]:
        """Run work(index) in `processes` forked processes; returns the elapsed
        time from the common start to the last finish, and what each returned."""
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(processes + 1)
        results = context.Queue()
        connections.close_all()  # children must open their own connections

        def run(index):
            try:
                connection.ensure_connection()  # connecting is not part of the measured work
                barrier.wait()
                results.put((index, work(index)))
            finally:
                connections.close_all()

        pool = [context.Process(target=run, args=(i,)) for i in range(processes)]
        for process in pool:
            process.start()
        barrier.wait()
        started = time.perf_counter()
        outcome = dict(results.get(timeout=3600) for _ in pool)
        elapsed = time.perf_counter() - started
        for process in pool:
            process.join()
            if process.exitcode != 0:
                raise CommandError(f"a bench process failed (exit code {process.exitcode})")
        return elapsed, [outcome[i] for i in range(processes)]

    def _baseline(self, processes, per_process, *, offset=0, autocommit=False) -> float:
        now = timezone.now()

        def work(index):
            with connection.cursor() as cursor:
                for n in range(per_process):
                    row = offset + index * per_process + n  # unique across processes, phases and rounds
                    with contextlib.nullcontext() if autocommit else transaction.atomic():
                        cursor.execute(
                            f"INSERT INTO {BASELINE_TABLE} (reference, resident_id, slot_id, starts_at, seat, reason, status, created_at)"  # noqa: S608 (constant table name)
                            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                            [f"{row:012d}", row, row, now, 1, "Check-up", "booked", now],
                        )

        elapsed, _results = self._run(processes, work)
        return processes * per_process / elapsed

    def _bookings(self, processes, per_process, residents, slots):
        def work(index):
            taken = 0
            for n in range(per_process):
                resident = residents[index * per_process + n]
                # neighbouring processes aim at the same slots, so they contend for places
                slot = slots[(n * processes + index) // 2 % len(slots)]
                try:
                    services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="Check-up",
                                              id_document="travel_permit")
                except services.SlotTaken:
                    taken += 1
            return taken

        elapsed, taken = self._run(processes, work)
        return processes * per_process / elapsed, sum(taken)

    def _written(self, hospital, tag) -> dict[str, int]:
        """What the bookings wrote, as a check that each did the whole job."""
        from portal.appointments.models import AppointmentEvent
        from portal.notifications.models import Delivery, Notification

        appointments = Appointment.objects.filter(slot__department__hospital=hospital)
        notifications = Notification.objects.filter(recipient__email__startswith=f"bench-{tag}-")
        return {
            "appointments": appointments.count(),
            "events": AppointmentEvent.objects.filter(appointment__in=appointments).count(),
            "confirmations": notifications.filter(event="appointment_booked", context__has_key="reference").count(),
            "reminders": notifications.filter(event="appointment_reminder").count(),
            "deliveries": Delivery.objects.filter(notification__in=notifications).count(),
        }

    def _teardown(self, tag):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        hospitals = Hospital.objects.filter(slug=f"bench-{tag}")
        Appointment.objects.filter(slot__department__hospital__in=hospitals).delete()
        Slot.objects.filter(department__hospital__in=hospitals).delete()
        hospitals.delete()
        User.objects.filter(email__startswith=f"bench-{tag}-").delete()
