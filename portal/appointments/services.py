"""Every write about appointments. Views, admin actions, API views and tasks call
these functions; each takes the acting user and runs in one transaction.

Locking (see docs/appointments.md and docs/decisions/0020): a write that takes a
place locks the slot row(s) with SELECT ... FOR UPDATE, in ascending id order,
then counts in a statement of its own and inserts. A write on an existing
appointment locks the appointment row first, then slots. Constraints in the
database back the count up (models.Appointment).
"""

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.care.doors import ActingFor, acting_for
from portal.care.models import Right
from portal.core.constraints import violated_constraint
from portal.core.translated import translated_columns
from portal.hospitals.selectors import user_manages_hospital
from portal.notifications.services import cancel_pending, notify
from portal.visits.selectors import guide_for_message

from . import selectors
from .models import (
    ONE_BOOKING_PER_RESIDENT_TIME,
    ONE_BOOKING_PER_SEAT,
    Appointment,
    AppointmentEvent,
    Closure,
    IdentityDocument,
    SessionTemplate,
    Slot,
    WaitlistEntry,
)

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# How long before the visit each reminder goes out, earliest first. The reminder
# sweep (`appointment_reminders_send`) creates each when it comes due;
# Appointment.reminders_done counts those dealt with.
REMINDERS = (timedelta(hours=24), timedelta(hours=2))


class BookingError(Exception):
    """A rule stopped the write. `message` is translated; `code` is stable for the API."""

    code = "invalid"
    status = 400

    def __init__(self, message=None, *, alternatives: list[Slot] | None = None):
        self.message = message or self.default_message
        self.alternatives = alternatives or []
        super().__init__(str(self.message))

    default_message = _("This booking cannot be made.")


class SlotTaken(BookingError):
    code = "slot_taken"
    status = 409
    default_message = _("Sorry, that time was just taken by someone else. Here are the nearest free times.")


class SlotUnavailable(BookingError):
    code = "slot_unavailable"
    status = 409
    default_message = _("That time can no longer be booked. Here are the nearest free times.")


class AlreadyBookedAtThatTime(BookingError):
    code = "double_booking"
    status = 409
    default_message = _("You already have an appointment at that time.")


class CutoffPassed(BookingError):
    code = "cutoff_passed"
    status = 409
    default_message = _("It is too late to change this appointment online. Please call the hospital.")


class NotActive(BookingError):
    code = "not_active"
    status = 409
    default_message = _("This appointment is no longer active.")


class VouchersNotAccepted(BookingError):
    code = "vouchers_not_accepted"
    default_message = _("Elderly Health Care Vouchers cannot be used in this department.")


class DocumentNotOnProfile(BookingError):
    code = "document_missing"
    default_message = _("Add this identity document to your profile first, or choose another one.")


class NotPermitted(Exception):
    """The actor may not act for this resident (views and the API answer 404)."""


# --- helpers ------------------------------------------------------------------

def _acting_for(actor, resident) -> ActingFor:
    """Who `actor` is to `resident` (themself, their caregiver with the right to
    manage appointments, or staff of a centre they consent to); raise if none."""
    acting = acting_for(actor, resident, Right.APPOINTMENTS)
    if acting is None:
        raise NotPermitted
    return acting


def _new_reference() -> str:
    # 32 letters: each random byte modulo 32 picks one uniformly (256 = 8 x 32)
    return "".join([REFERENCE_ALPHABET[byte % 32] for byte in secrets.token_bytes(8)])


def vouchers_allowed(department) -> bool:
    return bool(department.hospital.is_voucher_point and department.accepts_vouchers)


def documents_available(resident) -> list[tuple[str, str]]:
    """Identity documents on the resident's profile, with their masked numbers."""
    profile = getattr(resident, "profile", None)
    choices = []
    if profile is None:
        return choices
    if profile.id_document_number and profile.id_document_type:
        label = IdentityDocument(profile.id_document_type).label
        choices.append((profile.id_document_type, f"{label} ({profile.masked_id_number})"))
    if profile.travel_permit_number:
        choices.append((IdentityDocument.TRAVEL_PERMIT, f"{IdentityDocument.TRAVEL_PERMIT.label} ({profile.masked_travel_permit})"))
    return choices


def _slots_to_lock() -> QuerySet[Slot]:
    """Slot rows, locked FOR UPDATE until the transaction ends. Only the slot
    rows (of=self): locking the joined department and hospital rows would make
    every booking at a hospital wait for every other. (The race tests' control
    run replaces this with an unlocked queryset.)"""
    return Slot.objects.select_for_update(of=("self",))


def _lock_slots(slot_ids: list[int], *, waiting_resident=None) -> dict[int, Slot]:
    """Lock the slots, in ascending id order (two writes that lock the same two
    slots never wait for each other in a circle), with their department and
    hospital. With `waiting_resident`: each slot says whether that resident is
    on a waiting list of its department (`resident_waiting`)."""
    slots = _slots_to_lock().filter(pk__in=sorted(set(slot_ids))).order_by("pk")
    if waiting_resident is not None:
        slots = slots.annotate(resident_waiting=Exists(WaitlistEntry.objects.filter(
            resident=waiting_resident, department=OuterRef("department"),
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        )))
    return {slot.pk: slot for slot in slots.select_related("department__hospital", "department__specialty")}


def _free_seat(slot: Slot, *, now: datetime, resident=None) -> int | None:
    """The lowest free seat of `slot`, or None if it is full: its active bookings
    and the live waiting-list holds (other than `resident`'s) fill it. Call with
    the slot row locked, in a statement after the lock's: in READ COMMITTED a
    statement sees the rows committed when it began, so only a later one sees
    what the transaction that held the lock wrote (docs/decisions/0020)."""
    booked = Appointment.objects.filter(slot=slot).exclude(status=Appointment.Status.CANCELLED)
    holds = WaitlistEntry.objects.filter(offered_slot=slot, status=WaitlistEntry.Status.OFFERED,
                                         offer_expires_at__gt=now)
    if resident is not None:
        holds = holds.exclude(resident=resident)
    # one query: the taken seats, and a 0 for each hold
    holds = holds.annotate(seat=Value(0, output_field=IntegerField())).values_list("seat", flat=True)
    rows = list(booked.order_by().values_list("seat", flat=True).union(holds.order_by(), all=True))
    if len(rows) >= slot.capacity:
        return None
    taken = set(rows)
    return min(seat for seat in range(1, slot.capacity + 1) if seat not in taken)


def _check_slot_open(slot: Slot, *, resident, now: datetime) -> None:
    if slot.is_blocked or slot.starts_at <= now or not slot.department.hospital.is_active:
        raise SlotUnavailable(alternatives=selectors.nearest_free_slots(slot=slot, for_resident=resident))


def _check_cutoff(appointment: Appointment, *, hours: int, now: datetime) -> None:
    if appointment.starts_at - timedelta(hours=hours) <= now:
        raise CutoffPassed


def _slot_when(slot: Slot) -> str:
    """The time for a message's context: ISO text, written out by the message's
    templates in the recipient's language (portal.core.formatting)."""
    return slot.starts_at.isoformat()


def _names(obj, field: str = "name") -> dict:
    """A translated field in every language, each falling back as the pages do
    (modeltranslation's order: Traditional Chinese to Simplified, then English)."""
    return {
        code: next(filter(None, (getattr(obj, column) for column in translated_columns(field, code))), "")
        for code, _name in settings.LANGUAGES
    }


def _context(appointment: Appointment, slot: Slot | None = None) -> dict:
    slot = slot or appointment.slot
    department = slot.department
    return {
        "reference": appointment.reference,
        "when": _slot_when(slot),
        "hospital": _names(department.hospital),
        "department": _names(department) if department.name else _names(department.specialty),
    }


def _reminders_passed(starts_at: datetime, *, now: datetime) -> int:
    """How many reminders of a visit at `starts_at` are no longer in the future
    (REMINDERS is earliest first): booked or moved now, the visit gets only the
    others, as it always has. The value for Appointment.reminders_done."""
    return sum(1 for before in REMINDERS if starts_at - before <= now)


def _link(resident, name: str, *args) -> str:
    with translation.override(resident.language or settings.LANGUAGE_CODE):
        return reverse(f"appointments:{name}", args=args)


def _cancel_reminders(appointment: Appointment) -> None:
    """Reminders of the appointment that were created but have not gone out are
    not sent (the group holds only reminders: see appointment_reminders_send)."""
    cancel_pending(group_key=f"appointment:{appointment.pk}", unsent=True)


def _event(appointment, action, *, actor, acting: ActingFor | None = None, from_slot=None, to_slot=None,
           note="") -> None:
    AppointmentEvent.objects.create(
        appointment=appointment, action=action, actor=actor, on_behalf=bool(acting and acting.on_behalf),
        care_link=acting.care_link if acting else None, from_slot=from_slot, to_slot=to_slot, note=note[:300],
    )


# --- booking ------------------------------------------------------------------

def appointment_book(
    *,
    actor,
    resident,
    slot_id: int,
    reason: str,
    id_document: str,
    pay_with_vouchers: bool = False,
) -> Appointment:
    """Book a place in a slot for `resident`, acting as `actor` (the resident, or
    centre staff with the resident's consent, or a caregiver with the right to
    manage their appointments): lock the slot row, count the
    places taken, insert the appointment with the lowest free seat, its event
    row and the confirmation. The reminders are created by the reminder sweep
    when they come due (`appointment_reminders_send`)."""
    acting = _acting_for(actor, resident)
    now = timezone.now()
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Please tell the hospital the reason for your visit."))
    if id_document not in dict(documents_available(resident)):
        raise DocumentNotOnProfile
    try:
        with transaction.atomic():
            slot = _lock_slots([slot_id], waiting_resident=resident).get(slot_id)
            if slot is None:
                raise SlotUnavailable
            _check_slot_open(slot, resident=resident, now=now)
            if pay_with_vouchers and not vouchers_allowed(slot.department):
                raise VouchersNotAccepted
            seat = _free_seat(slot, resident=resident, now=now)
            if seat is None:
                raise SlotTaken
            appointment = Appointment.objects.create(
                reference=_new_reference(), resident=resident, slot=slot, starts_at=slot.starts_at,
                seat=seat, seat_limit=slot.capacity, reason=reason[:500], id_document=id_document,
                pay_with_vouchers=pay_with_vouchers, booked_by=actor, booked_via=acting.care_link,
                reminders_done=_reminders_passed(slot.starts_at, now=now),
            )
            if slot.resident_waiting:
                WaitlistEntry.objects.filter(
                    resident=resident, department=slot.department,
                    status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
                    date=timezone.localtime(slot.starts_at).date(),
                ).update(status=WaitlistEntry.Status.ACCEPTED)
            _event(appointment, AppointmentEvent.Action.BOOKED, actor=actor, acting=acting, to_slot=slot)
            notify(recipient=resident, event="appointment_booked",
                   context={**_context(appointment, slot), "guide": guide_for_message(appointment)},
                   link=_link(resident, "detail", appointment.reference))
    except IntegrityError as error:
        # One active booking per resident per time is checked by its constraint
        # alone. The seat constraint is reached only without the slot's lock.
        constraint = violated_constraint(error)
        if constraint == ONE_BOOKING_PER_RESIDENT_TIME:
            raise AlreadyBookedAtThatTime from error
        if constraint == ONE_BOOKING_PER_SEAT:
            raise SlotTaken(alternatives=_alternatives(slot_id, resident)) from error
        raise
    except (SlotTaken, SlotUnavailable) as error:
        if not error.alternatives:
            error.alternatives = _alternatives(slot_id, resident)
        raise
    return appointment


def _alternatives(slot_id: int, resident) -> list[Slot]:
    slot = Slot.objects.filter(pk=slot_id).first()
    return selectors.nearest_free_slots(slot=slot, for_resident=resident) if slot else []


def appointment_reschedule(*, actor, resident, reference: str, slot_id: int) -> Appointment:
    """Move an active appointment to another slot of the same department, before the cut-off."""
    acting = _acting_for(actor, resident)
    now = timezone.now()
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update().filter(resident=resident, reference=reference).first()
        )
        if appointment is None:
            raise NotPermitted
        if appointment.status != Appointment.Status.BOOKED:
            raise NotActive
        old_slot_id = appointment.slot_id
        if slot_id == old_slot_id:
            raise BookingError(_("Please choose a different time."))
        slots = _lock_slots([old_slot_id, slot_id])
        old_slot, new_slot = slots[old_slot_id], slots.get(slot_id)
        hospital_settings = selectors.booking_settings_for(old_slot.department.hospital)
        _check_cutoff(appointment, hours=hospital_settings.reschedule_cutoff_hours, now=now)
        if new_slot is None or new_slot.department_id != old_slot.department_id:
            raise SlotUnavailable(alternatives=selectors.nearest_free_slots(slot=old_slot, for_resident=resident))
        try:
            with transaction.atomic():
                _check_slot_open(new_slot, resident=resident, now=now)
                if Appointment.objects.filter(resident=resident, starts_at=new_slot.starts_at,
                                              status=Appointment.Status.BOOKED).exclude(pk=appointment.pk).exists():
                    raise AlreadyBookedAtThatTime
                seat = _free_seat(new_slot, resident=resident, now=now)
                if seat is None:
                    raise SlotTaken
                appointment.slot = new_slot
                appointment.starts_at = new_slot.starts_at
                appointment.seat = seat
                appointment.seat_limit = new_slot.capacity
                # the reminders start again for the new time (the sweep creates them)
                appointment.reminders_done = _reminders_passed(new_slot.starts_at, now=now)
                appointment.save(update_fields=["slot", "starts_at", "seat", "seat_limit", "reminders_done",
                                                "updated_at"])
        except (SlotTaken, SlotUnavailable) as error:
            error.alternatives = selectors.nearest_free_slots(slot=new_slot, for_resident=resident)
            raise
        WaitlistEntry.objects.filter(
            resident=resident, offered_slot=new_slot, status=WaitlistEntry.Status.OFFERED
        ).update(status=WaitlistEntry.Status.ACCEPTED)
        _event(appointment, AppointmentEvent.Action.RESCHEDULED, actor=actor, acting=acting,
               from_slot=old_slot, to_slot=new_slot)
        _cancel_reminders(appointment)
        # A service-centre escort for this visit moves with it (its escort is told).
        from portal.centres.services import escorts_follow_appointment

        escorts_follow_appointment(actor=actor, appointment=appointment)
        notify(recipient=resident, event="appointment_changed",
               context={**_context(appointment, new_slot), "previous_when": _slot_when(old_slot)},
               link=_link(resident, "detail", appointment.reference))
        _offer_freed_place(old_slot, now=now)
    return appointment


def appointment_cancel(*, actor, resident, reference: str) -> Appointment:
    acting = _acting_for(actor, resident)
    now = timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(resident=resident, reference=reference).first()
        if appointment is None:
            raise NotPermitted
        if appointment.status != Appointment.Status.BOOKED:
            raise NotActive
        slot = appointment.slot = _lock_slots([appointment.slot_id])[appointment.slot_id]
        hospital_settings = selectors.booking_settings_for(slot.department.hospital)
        _check_cutoff(appointment, hours=hospital_settings.cancel_cutoff_hours, now=now)
        _cancel(appointment, slot=slot, actor=actor, acting=acting, action=AppointmentEvent.Action.CANCELLED, now=now)
        notify(recipient=resident, event="appointment_cancelled", context=_context(appointment, slot),
               link=_link(resident, "index"))
        _offer_freed_place(slot, now=now)
    return appointment


def _cancel(appointment, *, slot, actor, acting, action, now, note="") -> None:
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    _event(appointment, action, actor=actor, acting=acting, from_slot=slot, note=note)
    _cancel_reminders(appointment)
    # An escort booked with a service centre for this visit is no longer needed
    # (same transaction; the assigned escort is told).
    from portal.centres.services import escorts_cancel_for_appointment

    escorts_cancel_for_appointment(actor=actor, appointment=appointment)


# --- hospital admins ----------------------------------------------------------

def appointment_mark(*, actor, appointment_id: int, status: str) -> Appointment:
    """A hospital admin records whether the resident came."""
    if status not in (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW):
        raise BookingError
    with transaction.atomic():
        appointment = (
            Appointment.objects.select_for_update(of=("self",)).select_related("slot__department").filter(pk=appointment_id).first()
        )
        if appointment is None or not user_manages_hospital(actor, appointment.slot.department.hospital_id):
            raise NotPermitted
        if appointment.status not in (Appointment.Status.BOOKED, Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW):
            raise NotActive
        if status == Appointment.Status.NO_SHOW and appointment.starts_at > timezone.now():
            raise BookingError(_("An appointment that has not started yet cannot be marked as missed."))
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        action = AppointmentEvent.Action.ATTENDED if status == Appointment.Status.ATTENDED else AppointmentEvent.Action.NO_SHOW
        _event(appointment, action, actor=actor)
        _cancel_reminders(appointment)
    return appointment


def slot_block(*, actor, slot_id: int, reason: str = "") -> int:
    """Block a slot: no new bookings; its active bookings are cancelled and the
    residents told, with a link to book another time. Returns how many were told."""
    now = timezone.now()
    with transaction.atomic():
        slot = _lock_slots([slot_id]).get(slot_id)
        if slot is None or not user_manages_hospital(actor, slot.department.hospital_id):
            raise NotPermitted
        slot.is_blocked = True
        slot.blocked_reason = reason[:200]
        slot.save(update_fields=["is_blocked", "blocked_reason"])
        WaitlistEntry.objects.filter(offered_slot=slot, status=WaitlistEntry.Status.OFFERED).update(
            status=WaitlistEntry.Status.WAITING, offered_slot=None, offer_expires_at=None
        )
        affected = list(
            Appointment.objects.select_for_update(of=("self",)).filter(slot=slot, status=Appointment.Status.BOOKED).select_related("resident")
        )
        for appointment in affected:
            _cancel(appointment, slot=slot, actor=actor, acting=None, action=AppointmentEvent.Action.SLOT_BLOCKED,
                    now=now, note=reason)
            notify(recipient=appointment.resident, event="slot_blocked",
                   context={**_context(appointment, slot), "reason": reason},
                   link=_link(appointment.resident, "book_department", slot.department.hospital.slug, slot.department_id))
    return len(affected)


def slot_unblock(*, actor, slot_id: int) -> None:
    with transaction.atomic():
        slot = _lock_slots([slot_id]).get(slot_id)
        if slot is None or not user_manages_hospital(actor, slot.department.hospital_id):
            raise NotPermitted
        slot.is_blocked = False
        slot.blocked_reason = ""
        slot.save(update_fields=["is_blocked", "blocked_reason"])


# --- waiting list -------------------------------------------------------------

def waitlist_join(*, actor, resident, department_id: int, day: date, slot_id: int | None = None) -> WaitlistEntry:
    _acting_for(actor, resident)
    first, last = selectors.booking_window()
    if day < first:
        raise BookingError(_("That day has already passed."))
    if day > last:
        raise BookingError(_("You can join a waiting list for a day up to %(last)s.")
                           % {"last": formats.date_format(last, "DATE_FORMAT")})
    with transaction.atomic():
        existing = WaitlistEntry.objects.filter(
            resident=resident, department_id=department_id, date=day,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return WaitlistEntry.objects.create(
                    resident=resident, department_id=department_id, date=day, slot_id=slot_id, added_by=actor
                )
        except IntegrityError:
            # a parallel request (double click) created it first
            return WaitlistEntry.objects.get(
                resident=resident, department_id=department_id, date=day,
                status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            )


def waitlist_leave(*, actor, resident, entry_id: int) -> None:
    _acting_for(actor, resident)
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().filter(pk=entry_id, resident=resident).first()
        if entry is None:
            raise NotPermitted
        offered_slot = entry.offered_slot if entry.status == WaitlistEntry.Status.OFFERED else None
        entry.status = WaitlistEntry.Status.WITHDRAWN
        entry.save(update_fields=["status"])
        if offered_slot is not None:
            _offer_freed_place(_lock_slots([offered_slot.pk])[offered_slot.pk], now=timezone.now())


def _offer_freed_place(slot: Slot, *, now: datetime) -> WaitlistEntry | None:
    """A place in `slot` (locked by the caller) may be free: offer it to the first
    waiting resident, holding it for the hospital's hold time."""
    if slot.is_blocked or slot.starts_at <= now:
        return None
    if _free_seat(slot, now=now) is None:
        return None
    day = timezone.localtime(slot.starts_at).date()
    entry = (
        WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(department_id=slot.department_id, date=day, status=WaitlistEntry.Status.WAITING)
        .filter(Q(slot__isnull=True) | Q(slot=slot))
        .exclude(resident__appointments__starts_at=slot.starts_at, resident__appointments__status=Appointment.Status.BOOKED)
        .select_related("resident")
        .order_by("created_at", "id")
        .first()
    )
    if entry is None:
        return None
    hold = selectors.booking_settings_for(slot.department.hospital).offer_hold_minutes
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_slot = slot
    entry.offer_expires_at = now + timedelta(minutes=hold)
    entry.save(update_fields=["status", "offered_slot", "offer_expires_at"])
    notify(
        recipient=entry.resident, event="waitlist_offer",
        context={
            "when": _slot_when(slot), "hospital": _names(slot.department.hospital),
            "department": _names(slot.department) if slot.department.name else _names(slot.department.specialty),
            "expires": entry.offer_expires_at.isoformat(),
        },
        link=_link(entry.resident, "book_slot", slot.pk),
    )
    return entry


def waitlist_expire_offers(*, now: datetime | None = None) -> int:
    """Expire holds whose time ran out and pass each place to the next in line."""
    now = now or timezone.now()
    expired = 0
    slot_ids = list(
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("offered_slot_id", flat=True).distinct()
    )
    for slot_id in slot_ids:
        with transaction.atomic():
            slot = _lock_slots([slot_id]).get(slot_id)
            if slot is None:
                continue
            expired += WaitlistEntry.objects.filter(
                offered_slot=slot, status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now
            ).update(status=WaitlistEntry.Status.EXPIRED)
            while _offer_freed_place(slot, now=now):
                pass
    return expired


# --- reminders ----------------------------------------------------------------

def appointment_reminders_send(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """Create the reminders that have come due (beat task
    `appointments-send-reminders`, every minute). For each booked appointment
    whose visit has not started and whose next reminder (REMINDERS after
    `reminders_done`) is due: the latest reminder due, as an immediate
    notification in the resident's language (rendered and queued as notify()
    does) in the group "appointment:<id>", and `reminders_done` raised past it,
    in the same transaction. Booking and rescheduling set `reminders_done` to
    skip the reminders whose time had already passed; a cancelled, attended or
    missed appointment gets none.

    The appointments are locked with SKIP LOCKED (the lock cancel and reschedule
    take first): two sweeps at once never create a reminder twice, and an
    appointment being changed is left to the next sweep. Returns how many
    reminders were created."""
    now = now or timezone.now()
    due = Q()
    for index, before in enumerate(REMINDERS):
        # on the slot's start (the same as the appointment's): it is indexed
        due |= Q(reminders_done=index, slot__starts_at__lte=now + before)
    created = 0
    while True:
        with transaction.atomic():
            batch = list(
                Appointment.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(due, status=Appointment.Status.BOOKED, slot__starts_at__gt=now)
                .select_related("resident__profile", "slot__department__hospital", "slot__department__specialty")
                .order_by("starts_at", "id")[:batch_size]
            )
            for appointment in batch:
                done = _reminders_passed(appointment.starts_at, now=now)
                before = REMINDERS[done - 1]
                notify(
                    recipient=appointment.resident, event="appointment_reminder",
                    context={**_context(appointment), "hours": int(before.total_seconds() // 3600),
                             # The day before, the visit guide comes with the reminder.
                             **({"guide": guide_for_message(appointment)} if before >= timedelta(hours=24) else {})},
                    link=_link(appointment.resident, "detail", appointment.reference),
                    group_key=f"appointment:{appointment.pk}", send_after=appointment.starts_at - before,
                )
                appointment.reminders_done = done
            Appointment.objects.bulk_update(batch, ["reminders_done"])
        created += len(batch)
        if len(batch) < batch_size:
            return created


# --- slot generation ----------------------------------------------------------

def slots_generate(*, days: int = selectors.BOOKING_WINDOW_DAYS, today: date | None = None) -> int:
    """Create the slots of every active session template for the next `days` days.
    Idempotent: existing slots are left alone (unique department + start time).
    Days closed for the hospital or department get no slots; unbooked slots that
    fall in a closure added later are blocked. Returns how many slots were created."""
    today = today or timezone.localdate()
    last = today + timedelta(days=days)
    zone = ZoneInfo(settings.TIME_ZONE)
    templates = list(
        SessionTemplate.objects.filter(is_active=True, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("department")
    )
    closures = list(Closure.objects.filter(end_date__gte=today, start_date__lte=last))

    def closed(department, day: date) -> Closure | None:
        for closure in closures:
            if closure.start_date <= day <= closure.end_date and closure.hospital_id == department.hospital_id and (
                closure.department_id is None or closure.department_id == department.pk
            ):
                return closure
        return None

    new_slots = []
    for template in templates:
        step = timedelta(minutes=template.slot_minutes)
        for offset in range(days + 1):
            day = today + timedelta(days=offset)
            if day.weekday() != template.weekday or day < template.valid_from or (template.valid_to and day > template.valid_to):
                continue
            if closed(template.department, day):
                continue
            start = datetime.combine(day, template.start_time, tzinfo=zone)
            end_of_session = datetime.combine(day, template.end_time, tzinfo=zone)
            while start + step <= end_of_session:
                new_slots.append(Slot(
                    department=template.department, template=template, doctor_name=template.doctor_name,
                    starts_at=start, ends_at=start + step, capacity=template.capacity,
                ))
                start += step
    with transaction.atomic():
        before = Slot.objects.count()
        Slot.objects.bulk_create(new_slots, ignore_conflicts=True, batch_size=500)
        created = Slot.objects.count() - before
        for closure in closures:
            scope = Q(department__hospital_id=closure.hospital_id)
            if closure.department_id:
                scope &= Q(department_id=closure.department_id)
            start = datetime.combine(closure.start_date, time.min, tzinfo=zone)
            end = datetime.combine(closure.end_date + timedelta(days=1), time.min, tzinfo=zone)
            (Slot.objects.filter(scope, starts_at__gte=start, starts_at__lt=end, is_blocked=False)
             .exclude(appointments__status=Appointment.Status.BOOKED)
             .update(is_blocked=True, blocked_reason=closure.reason[:200]))
    return created
