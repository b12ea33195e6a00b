from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from portal.appointments import services
from portal.appointments.models import (
    Appointment,
    AppointmentEvent,
    BookingSettings,
    Closure,
    SessionTemplate,
    Slot,
    WaitlistEntry,
)
from portal.core import formatting
from portal.notifications import sending
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import channels_for
from tests import factories


def test_booking_records_actor_event_and_notification(book, booker, slot):
    appointment = book(slot, pay_with_vouchers=True)
    assert appointment.status == "booked" and appointment.seat == 1 and len(appointment.reference) == 8
    assert appointment.booked_by == booker
    event = appointment.events.get()
    assert (event.action, event.actor, event.on_behalf) == ("booked", booker, False)
    assert Notification.objects.filter(recipient=booker, event="appointment_booked").count() == 1


def test_one_booking_costs_twelve_queries(book, slot, django_assert_num_queries):
    # Inside the test's transaction: SAVEPOINT, the slot locked (with its
    # department and hospital, and whether the resident is waiting for a place
    # there), the taken seats and holds, the appointment, its event, the visit
    # guide for the confirmation (the department with its building and the
    # hospital's visit facts, the routes from crossings, the resident's usual
    # crossing: portal.visits), the confirmation and its deliveries (one
    # insert), the caregivers who get a copy of it (none here), RELEASE SAVEPOINT.
    with django_assert_num_queries(12):
        book(slot)


def test_the_confirmation_is_rendered_at_booking_in_the_residents_language(book, booker, slot):
    booker.language = "zh-hant"
    booker.save(update_fields=["language"])
    appointment = book(slot)  # the request's language (English) does not matter
    confirmation = Notification.objects.get(recipient=booker, event="appointment_booked")
    assert confirmation.language == "zh-hant"
    assert appointment.reference in confirmation.subject and appointment.reference in confirmation.body
    assert "預約" in confirmation.body and confirmation.body_html
    assert confirmation.link == services._link(booker, "detail", appointment.reference)
    assert confirmation.context["reference"] == appointment.reference


def test_the_confirmation_is_queued_after_commit(book, booker, slot, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(sending, "queue", lambda ids: queued.extend(ids) or len(ids))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(slot)
        assert queued == []
    confirmation = Delivery.objects.filter(notification__recipient=booker, notification__event="appointment_booked")
    assert queued == list(confirmation.order_by("id").values_list("id", flat=True)) != []
    assert Delivery.objects.filter(notification__recipient=booker).count() == confirmation.count()
    assert appointment.reminders_done == 0  # both reminders still to come, from the sweep


def test_department_name_in_messages(department, book, booker, slot):
    department.name_en, department.name_zh_hant, department.name_zh_hans = "Eye clinic", "眼科診所", ""
    department.save()
    appointment = book(slot)
    context = Notification.objects.get(recipient=booker, event="appointment_booked").context
    # a missing Chinese name falls back to the other script before English, as the pages do
    assert context["department"] == {"en": "Eye clinic", "zh-hant": "眼科診所", "zh-hans": "眼科診所"}
    assert context["reference"] == appointment.reference
    assert context["hospital"]["en"] == department.hospital.name_en


def test_booking_while_on_the_waiting_list_accepts_the_entry(book, booker, slot):
    entry = WaitlistEntry.objects.create(resident=booker, department=slot.department, added_by=booker,
                                         date=timezone.localtime(slot.starts_at).date())
    book(slot)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.ACCEPTED


def test_last_place_then_taken_with_alternatives(book, make_slot, new_resident):
    full = make_slot(capacity=1)
    later = make_slot(capacity=2, starts_at=full.starts_at + timedelta(hours=1))
    book(full)
    other = new_resident()
    with pytest.raises(services.SlotTaken) as caught:
        book(full, resident=other)
    assert [slot.pk for slot in caught.value.alternatives] == [later.pk]
    assert "just taken" in str(caught.value.message)


def test_one_resident_cannot_hold_two_bookings_at_the_same_time(book, department, slot, other_department):
    book(slot)
    same_time = factories.DepartmentFactory(hospital=department.hospital, specialty=factories.SpecialtyFactory(code="eye"))
    other = Slot.objects.create(department=same_time, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=3)
    with pytest.raises(services.AlreadyBookedAtThatTime):
        book(other)
    with pytest.raises(services.AlreadyBookedAtThatTime):
        book(slot)


def test_database_refuses_a_second_active_booking_at_the_same_time(book, booker, slot):
    first = book(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(reference="DUPLICATE", resident=booker, slot=slot, starts_at=slot.starts_at, seat=2,
                                   seat_limit=3, reason="x", id_document="travel_permit", booked_by=booker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=first.pk).update(seat=4)  # beyond capacity


def test_blocked_and_past_slots_cannot_be_booked(book, make_slot):
    blocked = make_slot(is_blocked=True)
    with pytest.raises(services.SlotUnavailable):
        book(blocked)
    past = make_slot(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(services.SlotUnavailable):
        book(past)


def test_vouchers_only_where_point_and_department_allow(book, make_slot, department):
    department.accepts_vouchers = False
    department.save()
    with pytest.raises(services.VouchersNotAccepted):
        book(make_slot(), pay_with_vouchers=True)
    assert not Appointment.objects.exists()


def test_document_must_be_on_profile(book, slot):
    with pytest.raises(services.DocumentNotOnProfile):
        book(slot, id_document="hkid")


def test_empty_reason_refused(book, slot):
    with pytest.raises(services.BookingError):
        book(slot, reason="   ")


# --- cut-off ------------------------------------------------------------------

def test_cancel_and_reschedule_cutoff(book, booker, make_slot, hospital):
    BookingSettings.objects.create(hospital=hospital, cancel_cutoff_hours=48, reschedule_cutoff_hours=12)
    soon = make_slot(starts_at=timezone.now() + timedelta(hours=30))
    later = make_slot(starts_at=timezone.now() + timedelta(days=5))
    appointment = book(soon)
    with pytest.raises(services.CutoffPassed):
        services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    # 30 h ahead, 12 h cut-off: still changeable
    services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference, slot_id=later.pk)
    appointment.refresh_from_db()
    assert appointment.slot == later


def test_default_cutoff_is_24_hours(book, booker, make_slot):
    appointment = book(make_slot(starts_at=timezone.now() + timedelta(hours=23)))
    with pytest.raises(services.CutoffPassed):
        services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    with pytest.raises(services.CutoffPassed):
        services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference,
                                        slot_id=make_slot().pk)


def test_cancel_frees_the_place_at_once(book, booker, make_slot, new_resident):
    slot = make_slot(capacity=1)
    appointment = book(slot)
    services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and appointment.cancelled_at
    assert book(slot, resident=new_resident()).seat == 1
    with pytest.raises(services.NotActive):
        services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)


def test_reschedule_to_another_department_refused(book, booker, slot, other_department):
    appointment = book(slot)
    elsewhere = Slot.objects.create(department=other_department, starts_at=slot.starts_at + timedelta(hours=2),
                                    ends_at=slot.ends_at + timedelta(hours=2), capacity=3)
    with pytest.raises(services.SlotUnavailable):
        services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference, slot_id=elsewhere.pk)


# --- reminders ----------------------------------------------------------------
# A booking writes no reminder; the beat task's sweep (appointment_reminders_send)
# creates each one when it comes due.

def _sweep_at(monkeypatch, when) -> int:
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: when)
        return services.appointment_reminders_send()


def _reminders(appointment):
    return Notification.objects.filter(group_key=f"appointment:{appointment.pk}", event="appointment_reminder")


def test_reminders_are_created_when_due_24h_then_2h(book, booker, slot, monkeypatch):
    appointment = book(slot)
    assert not _reminders(appointment).exists() and appointment.reminders_done == 0
    assert _sweep_at(monkeypatch, timezone.now()) == 0
    day_before = slot.starts_at - timedelta(hours=24)
    assert _sweep_at(monkeypatch, day_before - timedelta(minutes=1)) == 0
    assert _sweep_at(monkeypatch, day_before + timedelta(seconds=30)) == 1
    reminder = _reminders(appointment).get()
    assert (reminder.send_after, reminder.context["hours"], reminder.context["reference"]) == (
        day_before, 24, appointment.reference)
    assert reminder.subject and appointment.reference in reminder.body  # rendered, like any due message
    assert reminder.recipient == booker and reminder.deliveries.count() == len(channels_for(booker))
    assert reminder.link == services._link(booker, "detail", appointment.reference)
    # run again (or a second sweep at the same time): nothing more
    assert _sweep_at(monkeypatch, day_before + timedelta(minutes=1)) == 0
    assert _sweep_at(monkeypatch, slot.starts_at - timedelta(hours=2)) == 1
    assert sorted((n.send_after, n.context["hours"]) for n in _reminders(appointment)) == [
        (day_before, 24), (slot.starts_at - timedelta(hours=2), 2)]
    assert _sweep_at(monkeypatch, slot.starts_at - timedelta(minutes=5)) == 0
    appointment.refresh_from_db()
    assert appointment.reminders_done == 2


def test_reminder_in_the_residents_language(book, booker, slot, monkeypatch):
    appointment = book(slot)
    booker.language = "zh-hant"  # changed after booking: the reminder follows the resident
    booker.save(update_fields=["language"])
    _sweep_at(monkeypatch, slot.starts_at - timedelta(hours=23))
    reminder = _reminders(appointment).get()
    assert reminder.language == "zh-hant"
    assert reminder.link == services._link(booker, "detail", appointment.reference)


def test_a_late_sweep_sends_only_the_latest_reminder_and_none_after_the_start(book, make_slot, monkeypatch):
    slot = make_slot()
    appointment = book(slot)
    assert _sweep_at(monkeypatch, slot.starts_at - timedelta(hours=1)) == 1
    assert [n.context["hours"] for n in _reminders(appointment)] == [2]
    other = book(make_slot())
    assert _sweep_at(monkeypatch, other.starts_at + timedelta(minutes=1)) == 0
    assert not _reminders(other).exists()


def test_no_reminders_for_a_cancelled_appointment(book, booker, slot, monkeypatch):
    appointment = book(slot)
    _sweep_at(monkeypatch, slot.starts_at - timedelta(hours=23))
    reminder = _reminders(appointment).get()  # created, its deliveries not sent yet
    services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None
    assert set(reminder.deliveries.values_list("state", flat=True)) <= {"cancelled"}
    assert _sweep_at(monkeypatch, slot.starts_at - timedelta(hours=1)) == 0
    assert _reminders(appointment).count() == 1
    assert Notification.objects.filter(event="appointment_cancelled", recipient=booker).count() == 1


def test_reschedule_retimes_the_reminders(book, booker, make_slot, monkeypatch):
    first = make_slot()
    second = make_slot(starts_at=first.starts_at + timedelta(days=2))
    appointment = book(first)
    _sweep_at(monkeypatch, first.starts_at - timedelta(hours=23))
    old = _reminders(appointment).get()
    services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference, slot_id=second.pk)
    old.refresh_from_db()
    assert old.cancelled_at is not None  # created for the old time, not sent: it does not go out
    assert _sweep_at(monkeypatch, first.starts_at - timedelta(hours=1)) == 0
    assert _sweep_at(monkeypatch, second.starts_at - timedelta(hours=23)) == 1
    assert _sweep_at(monkeypatch, second.starts_at - timedelta(hours=1)) == 1
    live = _reminders(appointment).filter(cancelled_at__isnull=True)
    assert sorted(n.send_after for n in live) == [second.starts_at - timedelta(hours=24),
                                                 second.starts_at - timedelta(hours=2)]
    with translation.override(booker.language):
        assert all(formatting.when(second.starts_at) in n.body for n in live)
    assert Notification.objects.filter(event="appointment_changed").count() == 1


def test_no_reminder_in_the_past(book, make_slot, monkeypatch):
    appointment = book(make_slot(starts_at=timezone.now() + timedelta(hours=5)))
    assert appointment.reminders_done == 1  # the 24-hour one had passed at booking
    assert _sweep_at(monkeypatch, timezone.now()) == 0
    assert _sweep_at(monkeypatch, appointment.starts_at - timedelta(hours=2)) == 1
    assert [n.send_after for n in _reminders(appointment)] == [appointment.starts_at - timedelta(hours=2)]


def test_no_reminders_after_attendance_is_marked(book, make_slot, hospital_admin, monkeypatch):
    appointment = book(make_slot(starts_at=timezone.now() + timedelta(hours=5)))
    services.appointment_mark(actor=hospital_admin, appointment_id=appointment.pk, status="attended")
    assert _sweep_at(monkeypatch, appointment.starts_at - timedelta(hours=1)) == 0


# --- waiting list ---------------------------------------------------------------

def test_waitlist_offer_hold_and_expiry(book, booker, make_slot, new_resident):
    slot = make_slot(capacity=1)
    appointment = book(slot)
    first, second, outsider = new_resident(), new_resident(), new_resident()
    day = timezone.localtime(slot.starts_at).date()
    services.waitlist_join(actor=first, resident=first, department_id=slot.department_id, day=day)
    services.waitlist_join(actor=second, resident=second, department_id=slot.department_id, day=day)

    services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    offer = WaitlistEntry.objects.get(resident=first)
    assert offer.status == "offered" and offer.offered_slot == slot
    assert offer.offer_expires_at == pytest.approx(timezone.now() + timedelta(minutes=120), abs=timedelta(seconds=30))
    assert Notification.objects.filter(recipient=first, event="waitlist_offer").count() == 1
    # the place is held: nobody else can take it
    with pytest.raises(services.SlotTaken):
        book(slot, resident=outsider)

    # the hold runs out: the next in line gets it
    expired = services.waitlist_expire_offers(now=offer.offer_expires_at + timedelta(seconds=1))
    assert expired == 1
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert WaitlistEntry.objects.get(resident=second).status == "offered"
    assert book(slot, resident=second).status == "booked"
    assert WaitlistEntry.objects.get(resident=second).status == "accepted"


def test_offered_resident_books_the_held_place(book, booker, make_slot, new_resident):
    slot = make_slot(capacity=1)
    appointment = book(slot)
    waiting = new_resident()
    services.waitlist_join(actor=waiting, resident=waiting, department_id=slot.department_id,
                           day=timezone.localtime(slot.starts_at).date())
    services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    assert book(slot, resident=waiting).seat == 1


def test_no_offer_without_waiting_list_and_place_free(book, booker, make_slot, new_resident):
    slot = make_slot(capacity=1)
    appointment = book(slot)
    services.appointment_cancel(actor=booker, resident=booker, reference=appointment.reference)
    assert not WaitlistEntry.objects.exists()
    assert book(slot, resident=new_resident()).status == "booked"


# --- on behalf ------------------------------------------------------------------

def test_centre_staff_book_for_consenting_resident(book, booker, slot, centre, centre_staff):
    factories.give_consent(booker, centre)
    appointment = book(slot, actor=centre_staff)
    assert appointment.booked_by == centre_staff and appointment.resident == booker
    event = appointment.events.get()
    assert event.actor == centre_staff and event.on_behalf
    services.appointment_cancel(actor=centre_staff, resident=booker, reference=appointment.reference)
    assert appointment.events.filter(action="cancelled", actor=centre_staff, on_behalf=True).exists()


def test_staff_without_consent_cannot_act(book, booker, slot, centre, other_centre_staff, stranger):
    factories.give_consent(booker, centre)
    with pytest.raises(services.NotPermitted):
        book(slot, actor=other_centre_staff)
    with pytest.raises(services.NotPermitted):
        book(slot, actor=stranger)
    assert not Appointment.objects.exists()


def test_strangers_cannot_cancel_or_reschedule(book, slot, make_slot, stranger):
    appointment = book(slot)
    with pytest.raises(services.NotPermitted):
        services.appointment_cancel(actor=stranger, resident=stranger, reference=appointment.reference)
    with pytest.raises(services.NotPermitted):
        services.appointment_reschedule(actor=stranger, resident=stranger, reference=appointment.reference, slot_id=make_slot().pk)


# --- hospital admins ------------------------------------------------------------

def test_block_slot_cancels_and_notifies(book, booker, slot, hospital_admin, other_hospital_admin):
    appointment = book(slot)
    with pytest.raises(services.NotPermitted):
        services.slot_block(actor=other_hospital_admin, slot_id=slot.pk)
    assert services.slot_block(actor=hospital_admin, slot_id=slot.pk, reason="Doctor away") == 1
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert appointment.events.filter(action=AppointmentEvent.Action.SLOT_BLOCKED, actor=hospital_admin).exists()
    assert Notification.objects.filter(recipient=booker, event="slot_blocked").count() == 1
    assert not Notification.objects.filter(group_key=f"appointment:{appointment.pk}", cancelled_at__isnull=True).exists()


def test_mark_attended_and_no_show(book, make_slot, hospital_admin, other_hospital_admin):
    appointment = book(make_slot())
    with pytest.raises(services.NotPermitted):
        services.appointment_mark(actor=other_hospital_admin, appointment_id=appointment.pk, status="attended")
    with pytest.raises(services.BookingError):
        services.appointment_mark(actor=hospital_admin, appointment_id=appointment.pk, status="no_show")
    services.appointment_mark(actor=hospital_admin, appointment_id=appointment.pk, status="attended")
    appointment.refresh_from_db()
    assert appointment.status == "attended"


# --- slot generation --------------------------------------------------------------

def test_generate_slots_is_idempotent_and_respects_closures(department, hospital):
    today = date(2030, 1, 7)  # a Monday
    SessionTemplate.objects.create(department=department, weekday=0, start_time=time(9), end_time=time(11),
                                   slot_minutes=30, capacity=2, valid_from=today)
    Closure.objects.create(hospital=hospital, start_date=date(2030, 1, 14), end_date=date(2030, 1, 14), reason="Holiday")
    created = services.slots_generate(days=27, today=today)
    # Mondays 7, 21, 28 January (14th closed), four 30-minute slots each
    assert created == 12
    assert services.slots_generate(days=27, today=today) == 0
    assert Slot.objects.count() == 12
    first = Slot.objects.order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).time() == time(9) and first.capacity == 2

    Closure.objects.create(hospital=hospital, department=department, start_date=date(2030, 1, 21),
                           end_date=date(2030, 1, 21), reason="Training")
    services.slots_generate(days=27, today=today)
    assert Slot.objects.filter(is_blocked=True).count() == 4


def test_events_are_append_only(book, slot):
    event = book(slot).events.get()
    event.note = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_another_resident_cannot_book_same_person_slot_twice_via_reschedule(book, booker, make_slot):
    a, b = make_slot(), make_slot()
    appointment = book(a)
    with pytest.raises(services.BookingError):
        services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference, slot_id=a.pk)
    services.appointment_reschedule(actor=booker, resident=booker, reference=appointment.reference, slot_id=b.pk)
    appointment.refresh_from_db()
    assert appointment.slot == b


def test_beat_tasks_are_scheduled_and_run(settings, department):
    from portal.appointments import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"portal.appointments.tasks.generate_slots", "portal.appointments.tasks.expire_waitlist_offers"} <= scheduled
    SessionTemplate.objects.create(department=department, weekday=timezone.localdate().weekday(), start_time=time(9),
                                   end_time=time(10), slot_minutes=30, capacity=1)
    assert tasks.generate_slots.delay().get() >= 2
    assert tasks.generate_slots.delay().get() == 0
    assert tasks.expire_waitlist_offers.delay().get() == 0
