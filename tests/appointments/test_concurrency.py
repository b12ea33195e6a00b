"""Races on PostgreSQL with real threads, each with its own database connection.

Every thread waits at a barrier and then books (or reschedules into) the same slot,
so the requests really overlap. The control run removes the lock and forces every
request to read the count before any of them inserts: the check-then-insert then
lets more requests through than there are places, and only the database constraint
stops the overbooking (as errors). With the lock, exactly `capacity` win and the
others get the clear "taken" answer."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection

from portal.appointments import services
from portal.appointments.models import Appointment

from .factories import SlotFactory, make_resident

THREADS = 50
# Transactional tests flush the database afterwards; the role groups come back
# through post_migrate (portal.accounts.roles.sync_role_groups).


def _run_threads(count: int, work) -> Counter:
    barrier = threading.Barrier(count)
    results: list[str] = []
    lock = threading.Lock()

    def run(index: int):
        try:
            barrier.wait()
            outcome = work(index)
        except services.SlotTaken:
            outcome = "taken"
        except IntegrityError:
            outcome = "integrity_error"
        except Exception as error:  # noqa: BLE001
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(results)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_bookings_for_three_places(department):
    slot = SlotFactory(department=department, capacity=3)
    residents = [make_resident() for _ in range(THREADS)]

    def work(index):
        resident = residents[index]
        services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r", id_document="travel_permit")
        return "booked"

    results = _run_threads(THREADS, work)
    assert results == Counter({"booked": 3, "taken": THREADS - 3})
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 3
    assert sorted(Appointment.objects.filter(slot=slot).values_list("seat", flat=True)) == [1, 2, 3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_reschedules_into_three_places(department):
    target = SlotFactory(department=department, capacity=3)
    residents = [make_resident() for _ in range(THREADS)]
    references = []
    for index, resident in enumerate(residents):
        # each resident starts in their own slot, later than the target
        own = SlotFactory(department=department, capacity=1, starts_at=target.starts_at + timedelta(days=1, minutes=30 * index))
        references.append(services.appointment_book(
            actor=resident, resident=resident, slot_id=own.pk, reason="r", id_document="travel_permit"
        ).reference)

    def work(index):
        services.appointment_reschedule(actor=residents[index], resident=residents[index], reference=references[index], slot_id=target.pk)
        return "moved"

    results = _run_threads(THREADS, work)
    assert results == Counter({"moved": 3, "taken": THREADS - 3})
    assert Appointment.objects.filter(slot=target, status="booked").count() == 3
    assert Appointment.objects.filter(status="booked").count() == THREADS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_race_is_real(department):
    """The same check-then-insert without SELECT ... FOR UPDATE. A second barrier
    after the count makes every request read before any inserts. More requests
    than places believe there is room; the seat constraint turns the would-be
    overbooking into errors. The locked run above has neither."""
    slot = SlotFactory(department=department, capacity=3)
    count = 10
    residents = [make_resident() for _ in range(count)]
    after_count = threading.Barrier(count)
    believed_free = []

    def work(index):
        resident = residents[index]

        def hook():
            believed_free.append(index)
            after_count.wait(timeout=30)

        services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r",
                                  id_document="travel_permit", _lock=False, _after_count=hook)
        return "booked"

    results = _run_threads(count, work)
    assert len(believed_free) == count > slot.capacity  # everyone passed the capacity check
    assert results["integrity_error"] > 0  # only the constraint stopped overbooking
    assert Appointment.objects.filter(slot=slot, status="booked").count() <= slot.capacity


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reminder_sweeps_at_the_same_time_create_each_reminder_once(department, monkeypatch):
    from django.utils import timezone

    from portal.notifications.models import Notification

    slots = [SlotFactory(department=department, capacity=2) for _ in range(10)]
    appointments = [
        services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r",
                                  id_document="travel_permit")
        for slot in slots for resident in (make_resident(), make_resident())
    ]
    # every first reminder due: just under 24 hours before the last slot
    sweep_time = max(slot.starts_at for slot in slots) - timedelta(hours=23)
    monkeypatch.setattr(timezone, "now", lambda: sweep_time)
    sweeps = 8

    def work(index):
        return services.appointment_reminders_send(batch_size=3)

    results = _run_threads(sweeps, work)
    assert sum(results.elements()) == len(appointments)  # the sweeps shared the work
    reminders = Notification.objects.filter(event="appointment_reminder")
    assert sorted(reminders.values_list("group_key", flat=True)) == sorted(
        f"appointment:{appointment.pk}" for appointment in appointments)
    assert set(Appointment.objects.values_list("reminders_done", flat=True)) == {1}
