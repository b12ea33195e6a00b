"""The PostgreSQL booking path (one hand-written statement, see
services._book_postgresql) against the ORM path, which other databases use:
the same rows and the same confirmation once rendered, the deliveries queued
after commit, the one round trip the statement was written for, and the retry
when the statement's seat went to a booking it could not see. The rules
themselves are tested on both paths in test_services.py."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation

from portal.appointments import services
from portal.appointments.models import Appointment, AppointmentEvent, Slot, WaitlistEntry
from portal.hospitals.models import Department, Specialty
from portal.notifications import sending
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import render_unrendered
from tests import factories

from .factories import SlotFactory, make_resident

pytestmark = pytest.mark.postgres


def _reachable_everywhere():
    resident = make_resident(phone="+85291234567")
    resident.notify_by_sms = resident.notify_by_whatsapp = True
    resident.language = "zh-hant"
    resident.save()
    return resident


def _written(appointment) -> dict:
    """What a booking wrote, with ids and the random reference taken out."""
    resident, reference, group = appointment.resident, appointment.reference, f"appointment:{appointment.pk}"
    appointment.refresh_from_db()
    # both store the confirmation unrendered; rendered from what each stored
    unrendered = list(Notification.objects.filter(recipient=resident, subject=""))
    render_unrendered(unrendered)

    def text(value: str) -> str:
        return value.replace(reference, "REFERENCE")

    return {
        "appointment": (appointment.starts_at, appointment.seat, appointment.seat_limit, appointment.reason,
                        appointment.id_document, appointment.pay_with_vouchers, appointment.status,
                        appointment.booked_by_id == resident.pk, appointment.created_at, appointment.cancelled_at,
                        appointment.reminders_done),
        "events": [
            (event.action, event.actor_id == resident.pk, event.on_behalf, event.from_slot_id,
             event.to_slot_id == appointment.slot_id, event.note, event.created_at)
            for event in AppointmentEvent.objects.filter(appointment=appointment)
        ],
        "waitlist": list(WaitlistEntry.objects.filter(resident=resident).values_list("status", flat=True)),
        "unrendered": [n.event for n in unrendered],
        "notifications": [
            (n.event, {**n.context, "reference": text(n.context["reference"])}, n.language, text(n.subject),
             text(n.body), text(n.body_html), text(n.link), n.group_key.replace(group, "GROUP"), n.send_after,
             n.created_at, n.read_at, n.cancelled_at,
             sorted((d.channel, d.state, d.attempts, d.next_attempt_at, d.queued_at, d.claimed_at, d.claim_token,
                     d.sent_at, d.last_error) for d in n.deliveries.all()))
            for n in Notification.objects.filter(recipient=resident).order_by("send_after", "event")
        ],
    }


def _book_at(frozen, monkeypatch, resident, slot):
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: frozen)
        return services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="Check-up ",
                                         id_document="travel_permit", pay_with_vouchers=True)


@pytest.mark.parametrize("on_waiting_list", [False, True])
def test_postgresql_path_writes_what_the_orm_path_writes(department, monkeypatch, on_waiting_list):
    frozen = timezone.now()
    starts_at = frozen.replace(microsecond=0) + timedelta(days=2)
    written = {}
    for path in ("postgresql", "orm"):
        # the same kind of department (named after its specialty) and time for each path
        specialty = department.specialty
        twin = Department.objects.create(
            hospital=department.hospital, accepts_vouchers=True,
            specialty=Specialty.objects.create(code=f"{specialty.code}-{path}", name_en=specialty.name_en,
                                               name_zh_hant=specialty.name_zh_hant, name_zh_hans=specialty.name_zh_hans),
        )
        slot = SlotFactory(department=twin, starts_at=starts_at, capacity=2)
        resident = _reachable_everywhere()
        if on_waiting_list:
            WaitlistEntry.objects.create(resident=resident, department=twin, added_by=resident,
                                         date=timezone.localtime(starts_at).date())
        with monkeypatch.context() as patch:
            if path == "orm":
                patch.setattr(services, "_book_postgresql", services._book_orm)
            appointment = _book_at(frozen, monkeypatch, resident, slot)
        rows = _written(appointment)
        # auto_now fields come from the clock at save time on the ORM path
        rows["appointment"] = rows["appointment"][:8] + rows["appointment"][9:]
        rows["events"] = [event[:6] for event in rows["events"]]
        rows["notifications"] = [n[:9] + n[10:] for n in rows["notifications"]]
        written[path] = rows
        assert all(n.created_at >= frozen for n in Notification.objects.filter(recipient=resident))

    assert written["postgresql"] == written["orm"]
    notifications = written["postgresql"]["notifications"]
    # the confirmation, stored unrendered; the reminders are created by the sweep when due
    assert written["postgresql"]["unrendered"] == ["appointment_booked"]
    assert [n[0] for n in notifications] == ["appointment_booked"]
    assert [len(n[-1]) for n in notifications] == [3]  # e-mail, SMS and WhatsApp
    assert "REFERENCE" in notifications[0][3] and "REFERENCE" in notifications[0][4]  # subject and text, rendered
    assert written["postgresql"]["appointment"][-1] == 0  # both reminders still to come
    assert written["postgresql"]["waitlist"] == (["accepted"] if on_waiting_list else [])


def test_department_name_in_messages(department, book, booker):
    department.name_en, department.name_zh_hant, department.name_zh_hans = "Eye clinic", "眼科診所", ""
    department.save()
    appointment = book(SlotFactory(department=department))
    context = Notification.objects.get(recipient=booker, event="appointment_booked").context
    # a missing Chinese name falls back to the other script before English, as the pages do
    assert context["department"] == {"en": "Eye clinic", "zh-hant": "眼科診所", "zh-hans": "眼科診所"}
    assert context["reference"] == appointment.reference
    assert context["hospital"]["en"] == department.hospital.name_en


@pytest.mark.parametrize("active_language", ["en", "zh-hant", "zh-hans"])
@pytest.mark.parametrize("names", [("", "", ""), ("Eye clinic", "", ""), ("", "", "眼科诊所"), ("", "眼科診所", "")])
def test_the_statements_context_is_the_orm_paths(department, book, booker, active_language, names):
    """The confirmation's context, built in SQL, is what `_context` builds from
    the models in the same active language (which decides, through the
    translation fallbacks, whether the department is named or its specialty)."""
    department.name_en, department.name_zh_hant, department.name_zh_hans = names
    department.save()
    with translation.override(active_language):
        appointment = book(SlotFactory(department=department))
        expected = services._context(Appointment.objects.select_related("slot__department__hospital",
                                                                          "slot__department__specialty")
                                     .get(pk=appointment.pk))
    assert Notification.objects.get(recipient=booker, event="appointment_booked").context == expected


def test_the_confirmation_is_rendered_by_the_inbox_if_it_gets_there_first(book, booker, slot, client_for):
    appointment = book(slot)
    stored = Notification.objects.get(recipient=booker, event="appointment_booked")
    assert stored.subject == ""  # not rendered while the booking waits
    page = client_for(booker).get(reverse("notifications:inbox")).content.decode()
    stored.refresh_from_db()
    assert appointment.reference in stored.subject and appointment.reference in stored.body
    assert stored.subject in page
    detail = client_for(booker).get(reverse("notifications:detail", args=[stored.pk])).content.decode()
    assert appointment.reference in detail


def test_the_confirmation_is_rendered_by_the_worker_that_sends_it(book, booker, slot, mailoutbox):
    appointment = book(slot)
    delivery = Delivery.objects.get(notification__recipient=booker, channel="email")
    assert sending.deliver(delivery.pk) == "sent"
    assert appointment.reference in mailoutbox[-1].subject
    assert Notification.objects.get(recipient=booker, event="appointment_booked").subject == mailoutbox[-1].subject


def test_confirmation_deliveries_are_queued_after_commit(book, booker, slot, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(sending, "queue", lambda ids: queued.extend(ids) or len(ids))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(slot)
        assert queued == []
    confirmation = Delivery.objects.filter(notification__recipient=booker, notification__event="appointment_booked")
    assert queued == list(confirmation.order_by("id").values_list("id", flat=True)) != []
    assert Delivery.objects.filter(notification__recipient=booker).count() == confirmation.count()
    assert appointment.reminders_done == 0


def test_booking_is_one_statement(book, slot, django_assert_num_queries):
    # Inside the test's transaction the booking is a savepoint around it:
    # SAVEPOINT, book, RELEASE (at the top level the statement alone).
    with django_assert_num_queries(3):
        book(slot)


def test_the_returned_appointment_is_the_stored_one(book, booker, slot):
    appointment = book(slot)
    stored = type(appointment).objects.get(pk=appointment.pk)
    fields = [field.attname for field in stored._meta.concrete_fields if field.attname != "updated_at"]
    assert {name: getattr(appointment, name) for name in fields if name != "created_at"} == {
        name: getattr(stored, name) for name in fields if name != "created_at"}
    assert appointment.slot == slot and appointment.resident == booker
    appointment.save(update_fields=["reason"])  # an ordinary saved instance


# --- outside any transaction: the statement is its own transaction -----------

def _book_top_level(resident, slot, **kwargs):
    from django.db import connection

    assert not connection.in_atomic_block  # the pipelined path, not the caller's transaction
    return services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r",
                                     id_document="travel_permit", **kwargs)


def _connection_is_clean():
    from django.db import connection

    assert connection.get_autocommit() and not connection.in_atomic_block and not connection.needs_rollback
    assert connection.connection.info.transaction_status == connection.connection.info.transaction_status.IDLE
    assert Slot.objects.count() >= 1  # the connection still answers


@pytest.mark.django_db(transaction=True)
def test_top_level_booking_commits_and_queues_after_commit(department, monkeypatch):
    from django.db import connection

    queued = []

    def queue(ids):
        # runs after the real commit: another connection already sees the rows
        assert connection.connection.info.transaction_status == connection.connection.info.transaction_status.IDLE
        queued.extend(ids)
        return len(ids)

    monkeypatch.setattr(sending, "queue", queue)
    resident, slot = make_resident(), SlotFactory(department=department, capacity=1)
    appointment = _book_top_level(resident, slot)
    assert queued == list(Delivery.objects.filter(notification__recipient=resident).values_list("id", flat=True)) != []
    assert Appointment.objects.get(pk=appointment.pk).reference == appointment.reference
    _connection_is_clean()


@pytest.mark.django_db(transaction=True)
def test_top_level_booking_errors_roll_back_and_surface_as_before(department, monkeypatch):
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    resident, other = make_resident(), make_resident()
    slot = SlotFactory(department=department, capacity=1)
    _book_top_level(resident, slot)
    # full: no row written, the clear answer
    with pytest.raises(services.SlotTaken):
        _book_top_level(other, slot)
    _connection_is_clean()
    # the same resident at the same time in another slot: the constraint fails
    # the statement; nothing of it is kept
    twin = SlotFactory(department=factories.DepartmentFactory(hospital=department.hospital,
                                                              specialty=factories.SpecialtyFactory(code="twin")),
                       capacity=2,
                       starts_at=slot.starts_at)
    with pytest.raises(services.AlreadyBookedAtThatTime):
        _book_top_level(resident, twin)
    _connection_is_clean()
    assert not Appointment.objects.filter(slot=twin).exists()
    assert Notification.objects.filter(recipient=resident).count() == 1
    # a rule the statement checks (the slot closed): nothing written
    Slot.objects.filter(pk=twin.pk).update(is_blocked=True)
    with pytest.raises(services.SlotUnavailable):
        _book_top_level(other, twin)
    _connection_is_clean()
    assert Appointment.objects.filter(resident=other).count() == 0
    assert Notification.objects.filter(recipient=other).count() == 0



@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans", ""])
def test_the_detail_link_without_reverse_is_the_reversed_one(language):
    from types import SimpleNamespace

    resident = SimpleNamespace(language=language)
    for _ in range(20):
        reference = services._new_reference()
        assert len(reference) == 8 and set(reference) <= set(services.REFERENCE_ALPHABET)
        assert services._detail_link(resident, reference) == services._link(resident, "detail", reference)


@pytest.mark.django_db(transaction=True)
def test_a_connection_out_of_autocommit_keeps_its_transaction(department, monkeypatch):
    from django.db import connection, transaction

    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    resident, slot = make_resident(), SlotFactory(department=department, capacity=1)
    transaction.set_autocommit(False)
    try:
        services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="r",
                                  id_document="travel_permit")
        transaction.rollback()  # the caller's transaction: the booking goes with it
    finally:
        transaction.set_autocommit(True)
    assert not Appointment.objects.filter(slot=slot).exists()
    _connection_is_clean()
    assert connection.get_autocommit()


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_statement_is_short_enough_for_psycopgs_parse_cache(language):
    # Longer, psycopg parses its placeholders again for every booking (see services._sql).
    from psycopg import _queries

    assert len(services._sql(services._BOOK_SQL, language).encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH



# --- what a statement that waited for the slot's lock could not see ---------------

def _book_behind_the_lock(slot, resident, while_locked):
    """Another connection locks `slot`; the booking of `resident` starts and waits
    for that lock (its statement's snapshot taken); then the other connection
    runs `while_locked(locked slot)` and commits. Returns what happened:
    {"booked": appointment} or {"taken": error}, and "while_locked": its result."""
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
    for _ in range(3000):  # until the booking statement is queued behind the holder's lock
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("capacity", "attempts", "seat"), [(2, None, 2), (1, None, None), (2, 1, None)])
def test_a_seat_taken_while_waiting_for_the_lock_is_chosen_again(department, monkeypatch, capacity, attempts, seat):
    """The statement's rows are those committed when it started: one that waited
    for the slot's lock does not see the booking that held it, and chooses its
    seat. The seat constraint stops that insert and the statement is sent again
    (seat 2, or "taken" when the slot is now full). With a single attempt the
    stale choice surfaces as "taken": the retry is what books the free seat."""
    monkeypatch.setattr(sending, "queue", lambda ids: len(ids))
    if attempts is not None:
        monkeypatch.setattr(services, "_BOOK_ATTEMPTS", attempts)
    slot = SlotFactory(department=department, capacity=capacity)
    first, second = make_resident(), make_resident()

    def book_seat_one(locked_slot):
        return Appointment.objects.create(reference="HOLDER01", resident=first, slot=locked_slot,
                                          starts_at=slot.starts_at, seat=1, seat_limit=capacity, reason="r",
                                          id_document="travel_permit", booked_by=first)

    outcome = _book_behind_the_lock(slot, second, book_seat_one)

    if seat is None:
        assert "taken" in outcome and "booked" not in outcome
        assert list(Appointment.objects.filter(slot=slot).values_list("seat", flat=True)) == [1]
        assert not Notification.objects.filter(recipient=second).exists()
    else:
        assert outcome["booked"].seat == seat
        assert sorted(Appointment.objects.filter(slot=slot).values_list("seat", flat=True)) == [1, 2]
        assert Notification.objects.filter(recipient=second, event="appointment_booked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hold_written_while_waiting_for_the_lock_is_counted(department, monkeypatch):
    """A hold is no seat, so the seat constraint cannot stop a statement that did
    not see it: here the expiry sweep passes an expired hold to the next resident
    while the booking waits for the slot's lock. The sweep's new version of the
    slot row makes the booking start again, and the held place is not taken."""
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
