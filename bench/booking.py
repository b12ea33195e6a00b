"""Bookings per second through the booking service, next to a plain indexed insert
measured in the same run on the same database, in the same number of processes.

Each booking is `appointment_book` called as a web request calls it (outside a
transaction), the confirmation queued to the broker on commit as in production
(no worker runs; the benchmark's broker is emptied afterwards). The baseline
inserts the same number of rows into a table shaped like the appointments table
with the same kinds of unique indexes, one transaction each (BEGIN, INSERT,
COMMIT). Each round measures both, back to back; the ratio is the median of the
rounds' ratios."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import get_resolver
from django.utils import timezone, translation

from portal.appointments import services

from . import fixtures

BASELINE_TABLE = "bench_plain_insert"


@dataclass
class Figure:
    ratio: float
    bookings_per_second: float
    inserts_per_second: float
    taken: int
    booked: int


def _load_url_tables() -> None:
    """Build the URL reverse tables in every language before forking, as a
    long-lived web worker has them after its first requests; otherwise each
    forked process pays for that on its first booking."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018 (the property builds the tables)


def _in_processes(processes: int, work) -> float:
    """Seconds from a common start until `work(index)` has returned in every one
    of `processes` forked processes (each with its own database connection)."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes + 1)
    connections.close_all()

    def run(index: int) -> None:
        connection.ensure_connection()
        barrier.wait()
        work(index)
        connections.close_all()

    pool = [context.Process(target=run, args=(index,)) for index in range(processes)]
    for process in pool:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    for process in pool:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a benchmark process failed (exit code {process.exitcode})")
    return time.perf_counter() - started


def _create_baseline_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(f"""CREATE TABLE {BASELINE_TABLE} (
            id bigserial PRIMARY KEY, reference varchar(12) UNIQUE NOT NULL, resident_id bigint NOT NULL,
            slot_id bigint NOT NULL, starts_at timestamptz NOT NULL, seat smallint NOT NULL,
            reason varchar(500) NOT NULL, status varchar(10) NOT NULL, created_at timestamptz NOT NULL)""")
        cursor.execute(f"CREATE UNIQUE INDEX {BASELINE_TABLE}_seat ON {BASELINE_TABLE} (slot_id, seat)")
        cursor.execute(f"CREATE UNIQUE INDEX {BASELINE_TABLE}_resident ON {BASELINE_TABLE} (resident_id, starts_at)")


def _inserts(processes: int, per_process: int, offset: int) -> float:
    now = timezone.now()

    def work(index: int) -> None:
        with connection.cursor() as cursor:
            for n in range(per_process):
                row = offset + index * per_process + n
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO {BASELINE_TABLE} (reference, resident_id, slot_id, starts_at, seat, reason, "  # noqa: S608
                        "status, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        [f"{row:012d}", row, row, now, 1, "Check-up", "booked", now])

    return processes * per_process / _in_processes(processes, work)


def _bookings(processes: int, per_process: int, residents, slot_ids: list[int]) -> float:
    def work(index: int) -> None:
        for n in range(per_process):
            resident = residents[index * per_process + n]
            # neighbouring processes aim at the same slots, so they contend for places
            slot_id = slot_ids[(n * processes + index) // 2 % len(slot_ids)]
            try:
                services.appointment_book(actor=resident, resident=resident, slot_id=slot_id,
                                          reason="Check-up", id_document="hkid")
            except services.SlotTaken:
                pass

    return processes * per_process / _in_processes(processes, work)


def run(*, processes: int, per_process: int, rounds: int, capacity: int, log) -> Figure:
    fixtures.forget()
    total = processes * per_process
    residents = fixtures.residents(total * rounds, prefix="booker")
    slot_ids = fixtures.slots(total * rounds // capacity + rounds, capacity=capacity)
    per_round = len(slot_ids) // rounds
    _create_baseline_table()
    _load_url_tables()
    measured = []
    try:
        for number in range(rounds):
            inserts = _inserts(processes, per_process, offset=number * total)
            bookings = _bookings(processes, per_process, residents[number * total:(number + 1) * total],
                                 slot_ids[number * per_round:(number + 1) * per_round])
            measured.append((inserts, bookings))
            log(f"    round {number + 1}: plain insert {inserts:,.0f}/s, booking {bookings:,.0f}/s, "
                f"ratio {bookings / inserts:.2f}")
        booked = fixtures.Appointment.objects.filter(slot_id__in=slot_ids).count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        fixtures.forget()
    return Figure(
        ratio=statistics.median(b / i for i, b in measured),
        bookings_per_second=statistics.median(b for _i, b in measured),
        inserts_per_second=statistics.median(i for i, _b in measured),
        taken=total * rounds - booked, booked=booked,
    )
