"""Every write about appointments. Views, admin actions, API views and tasks call
these functions; each takes the acting user and runs in one transaction.

Locking (see docs/appointments.md): a write that takes a place locks the slot
row(s) with SELECT ... FOR UPDATE, in ascending id order, then counts and inserts.
A write on an existing appointment locks the appointment row first, then slots.
"""

import functools
import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Value
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from portal.centres.selectors import staff_can_assist
from portal.core.translated import translated_columns
from portal.hospitals.selectors import user_manages_hospital
from portal.notifications import sending
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import (
    cancel_pending,
    channels_for,
    language_of,
    notify,
)

from . import selectors
from .models import (
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

def _acting_for(actor, resident) -> bool:
    """True if staff act on behalf of the resident; raise if the actor may not."""
    if actor.pk == resident.pk:
        return False
    if staff_can_assist(actor, resident):
        return True
    raise NotPermitted


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


def _lock_slots(slot_ids: list[int], *, waiting_resident=None) -> dict[int, Slot]:
    # of=("self",): lock only the slot rows, not the joined department and hospital
    # rows (which would make every booking at a hospital wait for every other).
    slots = Slot.objects.select_for_update(of=("self",)).filter(pk__in=sorted(set(slot_ids))).order_by("pk")
    if waiting_resident is not None:
        # In the same round trip: is the resident on a waiting list of this
        # department at all? (Most are not; then booking skips the list update.)
        slots = slots.annotate(resident_waiting=Exists(WaitlistEntry.objects.filter(
            resident=waiting_resident, department=OuterRef("department"),
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
        )))
    return {slot.pk: slot for slot in slots.select_related("department__hospital", "department__specialty")}


def _taken_seats(slot: Slot, *, exclude_appointment_id: int | None = None) -> set[int]:
    queryset = Appointment.objects.filter(slot=slot).exclude(status=Appointment.Status.CANCELLED)
    if exclude_appointment_id:
        queryset = queryset.exclude(pk=exclude_appointment_id)
    return set(queryset.values_list("seat", flat=True))


def _free_seat(slot: Slot, *, resident, now: datetime, exclude_appointment_id: int | None = None) -> int | None:
    """The lowest free seat, or None if the slot is full (bookings plus others' holds).
    Call with the slot row locked. One query: the taken seats, and a 0 for each
    live waiting-list hold of another resident."""
    booked = Appointment.objects.filter(slot=slot).exclude(status=Appointment.Status.CANCELLED)
    if exclude_appointment_id:
        booked = booked.exclude(pk=exclude_appointment_id)
    holds = (
        WaitlistEntry.objects.filter(offered_slot=slot, status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now)
        .exclude(resident=resident)
        .annotate(seat=Value(0, output_field=IntegerField()))
        .values_list("seat", flat=True)
    )
    rows = list(booked.order_by().values_list("seat", flat=True).union(holds.order_by(), all=True))
    if len(rows) >= slot.capacity:
        return None
    taken = set(rows)
    return min(seat for seat in range(1, slot.capacity + 1) if seat not in taken)


def _slot_open(*, is_blocked: bool, starts_at: datetime, hospital_active: bool, now: datetime) -> bool:
    return not is_blocked and starts_at > now and hospital_active


def _check_slot_open(slot: Slot, *, resident, now: datetime) -> None:
    if not _slot_open(is_blocked=slot.is_blocked, starts_at=slot.starts_at,
                      hospital_active=slot.department.hospital.is_active, now=now):
        raise SlotUnavailable(alternatives=selectors.nearest_free_slots(slot=slot, for_resident=resident))


def _check_cutoff(appointment: Appointment, *, hours: int, now: datetime) -> None:
    if appointment.starts_at - timedelta(hours=hours) <= now:
        raise CutoffPassed


def _slot_when(slot: Slot) -> str:
    return f"{timezone.localtime(slot.starts_at):%Y-%m-%d %H:%M}"


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


@functools.lru_cache(maxsize=64)
def _detail_link_parts(language: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """The appointment page's link in `language` around its reference: reversed
    once with a reference-shaped stand-in (references are letters and digits,
    which reverse() writes as they are)."""
    stand_in = "Z" * 8
    with translation.override(language):
        url = reverse("appointments:detail", args=[stand_in], urlconf=urlconf)
    before, found, after = url.partition(stand_in)
    if not found or stand_in in after:
        raise ValueError(url)
    return before, after


def _detail_link(resident, reference: str) -> str:
    """`_link(resident, "detail", reference)` for a new reference, without reverse()."""
    before, after = _detail_link_parts(resident.language or settings.LANGUAGE_CODE, get_script_prefix(), get_urlconf())
    return before + reference + after


def _cancel_reminders(appointment: Appointment) -> None:
    """Reminders of the appointment that were created but have not gone out are
    not sent (the group holds only reminders: see appointment_reminders_send)."""
    cancel_pending(group_key=f"appointment:{appointment.pk}", unsent=True)


def _event(appointment, action, *, actor, on_behalf=False, from_slot=None, to_slot=None, note="") -> None:
    AppointmentEvent.objects.create(
        appointment=appointment, action=action, actor=actor, on_behalf=on_behalf,
        from_slot=from_slot, to_slot=to_slot, note=note[:300],
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
    _lock: bool = True,
    _after_count: Callable[[], None] | None = None,
) -> Appointment:
    """Book a place in a slot for `resident`, acting as `actor` (the resident, or
    centre staff with the resident's consent).

    On PostgreSQL the booking is one statement (see `_book_postgresql`);
    elsewhere (SQLite for local development) the same rules run through the
    ORM (`_book_orm`). `_lock=False` and `_after_count` exist only
    for the race test that proves the lock is needed (they select the ORM path);
    never pass them elsewhere."""
    on_behalf = _acting_for(actor, resident)
    now = timezone.now()
    reason = reason.strip()
    if not reason:
        raise BookingError(_("Please tell the hospital the reason for your visit."))
    if id_document not in dict(documents_available(resident)):
        raise DocumentNotOnProfile
    fast = _lock and _after_count is None and connection.vendor == "postgresql"
    book = _book_postgresql if fast else _book_orm
    arguments = {
        "actor": actor, "resident": resident, "slot_id": slot_id, "reason": reason[:500], "id_document": id_document,
        "pay_with_vouchers": pay_with_vouchers, "on_behalf": on_behalf, "now": now, "lock": _lock,
        "after_count": _after_count,
    }
    try:
        if fast and not connection.in_atomic_block and connection.get_autocommit():
            # Not inside a caller's transaction: the booking statement is a
            # transaction of its own (one round trip; see `_book_postgresql`).
            appointment = _book_postgresql(**arguments)
        else:
            with transaction.atomic():
                appointment = book(**arguments)
    except IntegrityError as error:
        if not _lock:
            raise  # the race test wants to see the raw constraint error
        # One active booking per resident per time is checked by its unique
        # constraint alone (one query fewer on the hot path). The seat constraint
        # is only reachable without the lock.
        if "per_resident_time" in str(error) or "resident_id" in str(error):
            raise AlreadyBookedAtThatTime from error
        raise SlotTaken(alternatives=_alternatives(slot_id, resident)) from error
    except (SlotTaken, SlotUnavailable) as error:
        if not error.alternatives:
            error.alternatives = _alternatives(slot_id, resident)
        raise
    return appointment


def _book_orm(*, actor, resident, slot_id, reason, id_document, pay_with_vouchers, on_behalf, now, lock, after_count):
    if lock:
        slot = _lock_slots([slot_id], waiting_resident=resident).get(slot_id)
    else:
        slot = Slot.objects.select_related("department__hospital").filter(pk=slot_id).first()
    if slot is None:
        raise SlotUnavailable
    _check_slot_open(slot, resident=resident, now=now)
    if pay_with_vouchers and not vouchers_allowed(slot.department):
        raise VouchersNotAccepted
    seat = _free_seat(slot, resident=resident, now=now)
    if after_count is not None:
        after_count()
    if seat is None:
        raise SlotTaken
    appointment = Appointment.objects.create(
        reference=_new_reference(), resident=resident, slot=slot, starts_at=slot.starts_at,
        seat=seat, seat_limit=slot.capacity, reason=reason, id_document=id_document,
        pay_with_vouchers=pay_with_vouchers, booked_by=actor,
        reminders_done=_reminders_passed(slot.starts_at, now=now),
    )
    if getattr(slot, "resident_waiting", True):
        WaitlistEntry.objects.filter(
            resident=resident, department=slot.department,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            date=timezone.localtime(slot.starts_at).date(),
        ).update(status=WaitlistEntry.Status.ACCEPTED)
    _event(appointment, AppointmentEvent.Action.BOOKED, actor=actor, on_behalf=on_behalf, to_slot=slot)
    # rendered by the worker that sends it (see `_book_postgresql`)
    notify(recipient=resident, event="appointment_booked", context=_context(appointment, slot),
           link=_link(resident, "detail", appointment.reference), render_now=False)
    return appointment


# --- booking on PostgreSQL ----------------------------------------------------
#
# Issue #5: a booking must cost no more than a few plain inserts. Through the ORM
# it was ten round trips and ~4 ms of Python (query compilation, model
# instances) per booking. On PostgreSQL it is one hand-written statement,
# `_BOOK_SQL`, which outside a caller's transaction is a transaction of its
# own: one round trip.
#
# 1. `target` locks the slot row (FOR UPDATE OF the slot only, as `_lock_slots`)
#    and works out what the rules and the rows need: whether the slot is open
#    and takes vouchers, the confirmation's context (the names in every
#    language, the local time), the reminders already past, and whether the
#    resident is on a waiting list of the department.
# 2. `taken` and `free`: the lowest free seat, counting the taken seats and the
#    live holds of other residents (as `_free_seat`); none if the slot is
#    closed or does not take the vouchers asked for.
# 3. The appointment, its event row, the waiting-list update, the confirmation
#    (the rows `notify` writes) and its deliveries. No free seat: no row is
#    written, and the result says why (SlotUnavailable, VouchersNotAccepted or
#    SlotTaken).
#
# Why the seat this statement chooses is safe. In READ COMMITTED a statement
# reads the rows committed before it started. If it had to wait for the slot's
# lock, the booking that held the lock is not among them, and the statement may
# choose that booking's seat. The unique constraint on (slot, seat) among active
# bookings then stops the insert (ON CONFLICT DO NOTHING: nothing else is
# written either) and the statement is sent again, now seeing that booking
# (`_BOOK_ATTEMPTS`). A seat is a number from 1 to the slot's capacity (a check
# constraint) and unique per slot, so a slot never holds more active bookings
# than places, whatever a statement saw. Places can also be taken by a hold for
# the waiting list, which no constraint covers: whoever writes a hold updates
# the slot row too (`_offer_freed_place`), the locked row then differs from the
# one the statement's snapshot holds (`current`: their xmin), and the statement
# writes nothing and is sent again. (An admin's change of capacity does the same.)
#
# The confirmation is stored unrendered, with its context, like a reminder that
# has come due: the worker that sends it renders it (`sending.deliver`), and so
# does the inbox if it shows the message first
# (`notifications.services.render_unrendered`). The reminders are not written
# here: the reminder sweep creates each when it comes due
# (`appointment_reminders_send`; the appointment row counts them in
# `reminders_done`).
#
# `_book_orm` is the same booking for other databases; tests/appointments check
# that both write the same rows, and test_concurrency that neither overbooks.

_TABLES = {
    "slot": Slot._meta.db_table,
    "appointment": Appointment._meta.db_table,
    "event": AppointmentEvent._meta.db_table,
    "waitlist": WaitlistEntry._meta.db_table,
    "notification": Notification._meta.db_table,
    "delivery": Delivery._meta.db_table,
}

# How many times a booking statement is sent when its seat was taken by a
# booking it could not see (see above). Each retry sees at least one more
# booking of the slot, so a slot with N places needs at most N; beyond this
# the answer is SlotTaken.
_BOOK_ATTEMPTS = 10

_APPOINTMENT_FIELDS = Appointment._meta.concrete_fields
_LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)

_BOOK_SQL = """
    WITH target AS (
        SELECT s.department_id, s.starts_at, s.capacity,
               s.xmin = (SELECT xmin FROM {slot} WHERE id = %(slot)b) AS current,
               NOT s.is_blocked AND s.starts_at > %(now)b AND h.is_active AS open,
               h.is_voucher_point AND d.accepts_vouchers AS takes_vouchers,
               (s.starts_at AT TIME ZONE %(zone)b)::date AS day,
               (SELECT count(*) FROM unnest(%(reminders)b::interval[]) AS before
                 WHERE s.starts_at - before <= %(now)b)::smallint AS reminders_done,
               jsonb_build_object(
                   'reference', %(reference)b,
                   'when', to_char(s.starts_at AT TIME ZONE %(zone)b, 'YYYY-MM-DD HH24:MI'),
                   'hospital', {hospital_names},
                   'department', CASE WHEN {department_named} THEN {department_names} ELSE {specialty_names} END
               ) AS context,
               EXISTS (SELECT 1 FROM {waitlist} w
                        WHERE w.resident_id = %(resident)b AND w.department_id = s.department_id
                          AND w.status IN ({waitlist_waiting}, {waitlist_offered})) AS resident_waiting
          FROM {slot} s
          JOIN {department} d ON d.id = s.department_id
          JOIN {hospital} h ON h.id = d.hospital_id
          JOIN {specialty} sp ON sp.id = d.specialty_id
         WHERE s.id = %(slot)b
           FOR UPDATE OF s
    ), taken AS (
        SELECT a.seat FROM {appointment} a WHERE a.slot_id = %(slot)b AND a.status <> {status_cancelled}
        UNION ALL
        SELECT 0 FROM {waitlist} w
         WHERE w.offered_slot_id = %(slot)b AND w.status = {waitlist_offered} AND w.offer_expires_at > %(now)b
           AND w.resident_id <> %(resident)b
    ), free AS (
        SELECT min(n) AS seat FROM target, generate_series(1, target.capacity) AS n
         WHERE target.open AND target.current AND (target.takes_vouchers OR NOT %(pay_with_vouchers)b)
           AND n NOT IN (SELECT seat FROM taken) AND (SELECT count(*) FROM taken) < target.capacity
    ), appointment AS (
        INSERT INTO {appointment} (reference, resident_id, slot_id, starts_at, seat, seat_limit, reason, id_document,
                                   pay_with_vouchers, status, booked_by_id, created_at, updated_at, reminders_done)
        SELECT %(reference)b, %(resident)b, %(slot)b, target.starts_at, free.seat, target.capacity, %(reason)b,
               %(id_document)b, %(pay_with_vouchers)b, {status_booked}, %(actor)b, %(now)b, %(now)b,
               target.reminders_done
          FROM target, free WHERE free.seat IS NOT NULL
            ON CONFLICT (slot_id, seat) WHERE status <> {status_cancelled} DO NOTHING
        RETURNING id
    ), event AS (
        INSERT INTO {event} (appointment_id, action, actor_id, on_behalf, to_slot_id, note, created_at)
        SELECT id, {action_booked}, %(actor)b, %(on_behalf)b, %(slot)b, '', %(now)b FROM appointment
    ), waitlist AS (
        UPDATE {waitlist} w SET status = {waitlist_accepted}
          FROM target
         WHERE target.resident_waiting AND EXISTS (SELECT 1 FROM appointment)
           AND w.resident_id = %(resident)b AND w.department_id = target.department_id AND w.date = target.day
           AND w.status IN ({waitlist_waiting}, {waitlist_offered})
    ), notification AS (
        INSERT INTO {notification} (recipient_id, event, context, language, subject, body, body_html, link,
                                    group_key, send_after, created_at)
        SELECT %(resident)b, {event_name}, target.context, %(language)b, '', '', '', %(link)b, '', %(now)b, %(now)b
          FROM appointment, target
        RETURNING id
    ), delivery AS (
        INSERT INTO {delivery} (notification_id, channel, state, attempts, next_attempt_at, queued_at, last_error)
        SELECT n.id, c.channel, {delivery_pending}, 0, %(now)b, %(now)b, ''
          FROM notification n, unnest(%(channels)b::text[]) AS c(channel)
        RETURNING id
    )
    SELECT target.open, target.current, target.takes_vouchers, free.seat, appointment.id, target.starts_at,
           target.capacity,
           target.reminders_done, ARRAY(SELECT id FROM delivery ORDER BY id)
      FROM target CROSS JOIN free LEFT JOIN appointment ON true
"""


class _Booked(NamedTuple):
    """The booking statement's one row (none: there is no such slot)."""

    open: bool
    current: bool  # False: the slot row changed after the statement began (see above); send again
    takes_vouchers: bool
    seat: int | None  # the seat chosen; None: no place left
    appointment_id: int | None  # None with a seat: taken meanwhile, send again
    starts_at: datetime
    capacity: int
    reminders_done: int
    queued: list[int]  # the confirmation's deliveries


def _names_sql(alias: str) -> str:
    """`_names` in SQL: each language's name with its fallbacks (a name column
    is NULL or '' when unset; the last one needs no nullif)."""
    def name(code: str) -> str:
        *first, last = (f"{alias}.{column}" for column in translated_columns("name", code))
        return "coalesce({})".format(", ".join([*(f"nullif({column}, '')" for column in first), last, "''"]))

    return "jsonb_build_object({})".format(", ".join(f"{_literal(code)}, {name(code)}" for code, _n in settings.LANGUAGES))


def _department_named_sql(language: str) -> str:
    """Whether the department has a name in `language` or its fallbacks, as
    `department.name` reads it with `language` active: `_context` then names
    the department, else its specialty. (A name column is NULL or '' when unset.)"""
    return " OR ".join(f"d.{column} > ''" for column in translated_columns("name", language))


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, **kwargs):
            return super().execute(query, params, prepare=prepare, **kwargs)

        def _send_query_prepared(self, name, pgq, **kwargs):
            # psycopg keeps the statement text only for unprepared queries;
            # Django's query log (DEBUG, assertNumQueries) reads it from there.
            self._query = pgq
            return super()._send_query_prepared(name, pgq, **kwargs)

    return PreparedCursor


def _prepared_cursor():
    """A Django cursor (query logging, execute wrappers, Django's exceptions)
    whose statements are bound and prepared by the server, once per connection:
    planning the booking statement cost more server time than running it, and
    quoting the parameters into the SQL text (Django's default client-side
    binding) cost more Python time than the rest of the booking. The statement
    uses `%(name)b` placeholders: parameters in binary, which psycopg dumps with
    less work than text (arrays especially). The psycopg cursor is made once per
    connection and kept on it (making one cost as much as binding a statement).
    (Behind PgBouncer this needs its prepared-statement support, 1.21+.)"""
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # With DATABASE_PREPARED_STATEMENTS=0 Django switches psycopg's preparing
        # off (for poolers), and psycopg then ignores prepare=True too; this
        # statement is still worth preparing (the threshold only matters to
        # server-binding cursors, which the ORM then does not use).
        raw.prepare_threshold = 5
    cursor = getattr(raw, "_portal_booking_cursor", None)
    if cursor is None:
        with connection.wrap_database_errors:
            cursor = raw._portal_booking_cursor = _prepared_cursor_class()(raw)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)


# The statement's constants, written into it as literals: fewer parameters to
# send, and the planner can match the partial indexes on status to them.
_CONSTANTS = {
    "status_booked": Appointment.Status.BOOKED, "status_cancelled": Appointment.Status.CANCELLED,
    "action_booked": AppointmentEvent.Action.BOOKED, "waitlist_waiting": WaitlistEntry.Status.WAITING,
    "waitlist_offered": WaitlistEntry.Status.OFFERED, "waitlist_accepted": WaitlistEntry.Status.ACCEPTED,
    "delivery_pending": Delivery.State.PENDING, "event_name": "appointment_booked",
}


def _literal(value: str) -> str:
    if not value.replace("_", "").replace("-", "").isalnum() or not value.isascii():
        raise ValueError(f"not a plain constant: {value!r}")
    return f"'{value}'"


@functools.cache
def _sql(template: str, language: str) -> str:
    """The statement's text, with its names and constants, on one line and
    without optional spaces: psycopg caches the parsing of a statement's
    placeholders only for texts of up to 4,096 bytes
    (`MAX_CACHED_STATEMENT_LENGTH`); parsed afresh, this one cost more Python
    time than the rest of the booking. A test keeps it below.
    `language` is the active language (one statement for each), which decides
    how the department is named in the confirmation (`_department_named_sql`)."""
    from portal.hospitals.models import Department, Hospital, Specialty

    text = " ".join(template.format(
        **_TABLES, department=Department._meta.db_table, hospital=Hospital._meta.db_table,
        specialty=Specialty._meta.db_table, **{name: _literal(str(value)) for name, value in _CONSTANTS.items()},
        hospital_names=_names_sql("h"), department_names=_names_sql("d"), specialty_names=_names_sql("sp"),
        department_named=_department_named_sql(language),
    ).split())
    # and without the spaces after commas, inside brackets and around comparisons
    # (no literal in it has any)
    for spaced, tight in ((", ", ","), ("( ", "("), (" )", ")"), (" = ", "="), (" <> ", "<>"), (" <= ", "<="),
                          (" < ", "<"), (" > ", ">")):
        text = text.replace(spaced, tight)
    return text


def _book_postgresql(*, actor, resident, slot_id, reason, id_document, pay_with_vouchers, on_behalf, now, lock,
                     after_count) -> Appointment:
    """The booking in one statement (see the comment above `_TABLES`). `lock`
    and `after_count` are the ORM path's test hooks; this path always locks."""
    reference = _new_reference()
    parameters = {
        "slot": slot_id, "resident": resident.pk, "actor": actor.pk, "now": now, "reference": reference,
        "reason": reason, "id_document": id_document, "pay_with_vouchers": pay_with_vouchers, "on_behalf": on_behalf,
        "zone": timezone.get_current_timezone_name(), "reminders": list(REMINDERS),
        "language": language_of(resident), "link": _detail_link(resident, reference),
        "channels": channels_for(resident),
    }
    active = translation.get_language()
    statement = _sql(_BOOK_SQL, active if active in _LANGUAGE_CODES else settings.LANGUAGE_CODE)
    cursor = _prepared_cursor()  # the connection's, not closed: see `_prepared_cursor`
    for _attempt in range(_BOOK_ATTEMPTS):
        cursor.execute(statement, parameters)
        row = cursor.fetchone()
        if row is None:
            raise SlotUnavailable
        booked = _Booked(*row)
        if not booked.open:
            raise SlotUnavailable
        if not booked.current:
            continue  # a hold or a new capacity this statement could not see: send it again
        if pay_with_vouchers and not booked.takes_vouchers:
            raise VouchersNotAccepted
        if booked.seat is None:
            raise SlotTaken
        if booked.appointment_id is not None:
            break
        # The seat went to a booking this statement could not see: send it again.
    else:
        raise SlotTaken
    if booked.queued:
        queued = booked.queued
        transaction.on_commit(lambda: sending.queue(queued))
    fields = {
        "id": booked.appointment_id, "reference": reference, "resident_id": resident.pk, "slot_id": slot_id,
        "starts_at": booked.starts_at, "seat": booked.seat, "seat_limit": booked.capacity, "reason": reason,
        "id_document": id_document, "pay_with_vouchers": pay_with_vouchers, "status": Appointment.Status.BOOKED,
        "booked_by_id": actor.pk, "created_at": now, "updated_at": now, "cancelled_at": None,
        "reminders_done": booked.reminders_done,
    }
    # as a query would load it (a new field must be added here: KeyError)
    appointment = Appointment.from_db(connection.alias, None, [fields[f.attname] for f in _APPOINTMENT_FIELDS])
    Appointment.resident.field.set_cached_value(appointment, resident)
    Appointment.booked_by.field.set_cached_value(appointment, actor)
    return appointment


def _alternatives(slot_id: int, resident) -> list[Slot]:
    slot = Slot.objects.filter(pk=slot_id).first()
    return selectors.nearest_free_slots(slot=slot, for_resident=resident) if slot else []


def appointment_reschedule(*, actor, resident, reference: str, slot_id: int) -> Appointment:
    """Move an active appointment to another slot of the same department, before the cut-off."""
    on_behalf = _acting_for(actor, resident)
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
        _event(appointment, AppointmentEvent.Action.RESCHEDULED, actor=actor, on_behalf=on_behalf,
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
    on_behalf = _acting_for(actor, resident)
    now = timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().filter(resident=resident, reference=reference).first()
        if appointment is None:
            raise NotPermitted
        if appointment.status != Appointment.Status.BOOKED:
            raise NotActive
        slot = _lock_slots([appointment.slot_id])[appointment.slot_id]
        hospital_settings = selectors.booking_settings_for(slot.department.hospital)
        _check_cutoff(appointment, hours=hospital_settings.cancel_cutoff_hours, now=now)
        _cancel(appointment, slot=slot, actor=actor, on_behalf=on_behalf, action=AppointmentEvent.Action.CANCELLED, now=now)
        notify(recipient=resident, event="appointment_cancelled", context=_context(appointment, slot),
               link=_link(resident, "index"))
        _offer_freed_place(slot, now=now)
    return appointment


def _cancel(appointment, *, slot, actor, on_behalf, action, now, note="") -> None:
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    _event(appointment, action, actor=actor, on_behalf=on_behalf, from_slot=slot, note=note)
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
            _cancel(appointment, slot=slot, actor=actor, on_behalf=False, action=AppointmentEvent.Action.SLOT_BLOCKED,
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
    taken = len(_taken_seats(slot))
    holds = WaitlistEntry.objects.filter(offered_slot=slot, status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now).count()
    if taken + holds >= slot.capacity:
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
    # A new version of the slot row: a booking statement that waited for this
    # transaction's lock with an older snapshot, which cannot see the hold, then
    # sees that the row changed and starts again (see `_BOOK_SQL`).
    Slot.objects.filter(pk=slot.pk).update(capacity=F("capacity"))
    entry.status = WaitlistEntry.Status.OFFERED
    entry.offered_slot = slot
    entry.offer_expires_at = now + timedelta(minutes=hold)
    entry.save(update_fields=["status", "offered_slot", "offer_expires_at"])
    notify(
        recipient=entry.resident, event="waitlist_offer",
        context={
            "when": _slot_when(slot), "hospital": _names(slot.department.hospital),
            "department": _names(slot.department) if slot.department.name else _names(slot.department.specialty),
            "expires": f"{timezone.localtime(entry.offer_expires_at):%Y-%m-%d %H:%M}",
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
                    context={**_context(appointment), "hours": int(before.total_seconds() // 3600)},
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
