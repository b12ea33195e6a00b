"""Races on PostgreSQL with real threads, each with its own database connection.

Every thread waits at a barrier and then books (or reschedules into) the same slot,
so the requests really overlap. The control run removes the lock and forces every
request to read the count before any of them inserts (the `without_the_lock`
fixture): the check-then-insert then lets more requests through than there are
places, and only the seat constraint stops the overbooking. With the lock, exactly
`capacity` win and the others get the clear "taken" answer from the count.

The last tests make a booking wait for the slot's lock while another transaction
books a seat or writes a waiting-list hold in that slot: the booking counts after
the lock is granted, so it sees what the other one wrote."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from portal.appointments import services
from portal.appointments.models import Appointment, Slot, WaitlistEntry
from portal.notifications import sending
from portal.notifications.models import Notification

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
        except services.SlotTaken as error:
            outcome = "taken by the seat constraint" if isinstance(error.__cause__, IntegrityError) else "taken"
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
def test_fifty_caregivers_booking_for_fifty_elders_for_three_places(department):
    """The same race, each request from a caregiver acting for a different elder:
    the care rule is read in each request's own transaction, and the slot's lock
    still lets exactly three through."""
    from tests.factories import make_caregiver

    slot = SlotFactory(department=department, capacity=3)
    links = [make_caregiver(make_resident(), email=f"caregiver{index}@example.com") for index in range(THREADS)]

    def work(index):
        link = links[index]
        services.appointment_book(actor=link.caregiver, resident=link.elder, slot_id=slot.pk, reason="r",
                                  id_document="travel_permit")
        return "booked"

    results = _run_threads(THREADS, work)
    assert results == Counter({"booked": 3, "taken": THREADS - 3})
    booked = Appointment.objects.filter(slot=slot, status="booked")
    assert booked.count() == 3
    assert sorted(booked.values_list("seat", flat=True)) == [1, 2, 3]
    assert all(appointment.booked_by_id == appointment.booked_via.caregiver_id != appointment.resident_id
               for appointment in booked.select_related("booked_via"))


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


@pytest.fixture
def without_the_lock(monkeypatch):
    """The booking's check-then-insert without its protection: the slot rows are
    read without FOR UPDATE, and each request waits after counting until
    `count` requests have counted. Returns the seats the requests believed free."""

    def remove(count: int) -> list:
        after_count = threading.Barrier(count)
        believed_free = []
        count_seats = services._free_seat

        def free_seat_then_wait(slot, **kwargs):
            seat = count_seats(slot, **kwargs)
            believed_free.append(seat)
            after_count.wait(timeout=30)
            return seat

        monkeypatch.setattr(services, "_slots_to_lock", Slot.objects.all)
        monkeypatch.setattr(services, "_free_seat", free_seat_then_wait)
        return believed_free

    return remove


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_race_is_real(department, without_the_lock):
    """The same booking without SELECT ... FOR UPDATE, every request counting
    before any inserts. More requests than places believe there is room; the
    seat constraint turns the would-be overbooking into "taken" answers. The
    locked run above needs no constraint for that."""
    slot = SlotFactory(department=department, capacity=3)
    count = 10
    residents = [make_resident() for _ in range(count)]
    believed_free = without_the_lock(count)

    def work(index):
        resident = residents[index]
        services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r",
                                  id_document="travel_permit")
        return "booked"

    results = _run_threads(count, work)
    assert len(believed_free) == count > slot.capacity and None not in believed_free  # all passed the count
    assert results["taken by the seat constraint"] > 0  # only the constraint stopped overbooking
    assert results["booked"] + results["taken by the seat constraint"] == count
    assert Appointment.objects.filter(slot=slot, status="booked").count() == results["booked"] <= slot.capacity


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


# --- what a booking waiting for the slot's lock sees ----------------------------------

def _book_behind_the_lock(slot, resident, while_locked):
    """Another connection locks `slot`; the booking of `resident` starts and waits
    for that lock; then the other connection runs `while_locked(locked slot)` and
    commits. Returns what happened: {"booked": appointment} or {"taken": error},
    and "while_locked": its result."""
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def hold_the_lock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["holder"] = cursor.fetchone()[0]
            with transaction.atomic():
                locked_slot = services._lock_slots([slot.pk])[slot.pk]
                locked.set()
                assert release.wait(30)
                outcome["while_locked"] = while_locked(locked_slot)
        finally:
            connections.close_all()

    def book():
        try:
            outcome["booked"] = services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk,
                                                          reason="r", id_document="travel_permit")
        except services.SlotTaken as error:
            outcome["taken"] = error
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(30)
    booker = threading.Thread(target=book)
    booker.start()
    pause = threading.Event()
    for _ in range(3000):  # until the booking is queued behind the holder's lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                           " AND %s = ANY(pg_blocking_pids(pid))", [outcome["holder"]])
            if cursor.fetchone()[0]:
                break
        pause.wait(0.01)
    else:
        pytest.fail("the booking never waited for the lock")
    release.set()
    holder.join(30)
    booker.join(30)
    return outcome


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("capacity", "seat"), [(2, 2), (1, None)])
def test_a_seat_booked_while_waiting_for_the_lock_is_counted(department, monkeypatch, capacity, seat):
    """The booking that held the lock took seat 1: the waiting booking counts it
    and takes seat 2, or is told "taken" when that was the only place."""
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    slot = SlotFactory(department=department, capacity=capacity)
    first, second = make_resident(), make_resident()

    def book_seat_one(locked_slot):
        return Appointment.objects.create(reference="HOLDER01", resident=first, slot=locked_slot,
                                          starts_at=slot.starts_at, seat=1, seat_limit=capacity, reason="r",
                                          id_document="travel_permit", booked_by=first)

    outcome = _book_behind_the_lock(slot, second, book_seat_one)

    if seat is None:
        assert "taken" in outcome and "booked" not in outcome
        assert not isinstance(outcome["taken"].__cause__, IntegrityError)  # from the count, not the constraint
        assert list(Appointment.objects.filter(slot=slot).values_list("seat", flat=True)) == [1]
        assert not Notification.objects.filter(recipient=second).exists()
    else:
        assert outcome["booked"].seat == seat
        assert sorted(Appointment.objects.filter(slot=slot).values_list("seat", flat=True)) == [1, 2]
        assert Notification.objects.filter(recipient=second, event="appointment_booked").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hold_written_while_waiting_for_the_lock_is_counted(department, monkeypatch):
    """A hold is no seat, so no constraint would stop a booking that did not see
    it: here the expiry sweep passes an expired hold to the next resident while
    the booking waits for the slot's lock. The lock serialises the two, the
    booking counts after it, and the held place is not taken."""
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    slot = SlotFactory(department=department, capacity=2)
    booked, first_waiting, next_waiting, booker = (make_resident() for _ in range(4))
    Appointment.objects.create(reference="BOOKED01", resident=booked, slot=slot, starts_at=slot.starts_at, seat=1,
                               seat_limit=2, reason="r", id_document="travel_permit", booked_by=booked)
    day = timezone.localtime(slot.starts_at).date()
    WaitlistEntry.objects.create(resident=first_waiting, department=department, added_by=first_waiting, date=day,
                                 status=WaitlistEntry.Status.OFFERED, offered_slot=slot,
                                 offer_expires_at=timezone.now() - timedelta(minutes=1))  # ran out: not counted
    waiting = WaitlistEntry.objects.create(resident=next_waiting, department=department, added_by=next_waiting,
                                           date=day)

    def expire_and_offer(locked_slot):
        WaitlistEntry.objects.filter(resident=first_waiting).update(status=WaitlistEntry.Status.EXPIRED)
        return services._offer_freed_place(locked_slot, now=timezone.now())

    outcome = _book_behind_the_lock(slot, booker, expire_and_offer)

    assert outcome["while_locked"].pk == waiting.pk  # the place went to the next resident, held
    assert "taken" in outcome and "booked" not in outcome
    assert list(Appointment.objects.filter(slot=slot).values_list("resident", flat=True)) == [booked.pk]
