"""Reads for appointments. Every lookup of one appointment takes the requesting
user and the resident being acted for, and returns nothing outside that scope."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from portal.hospitals.models import BorderPoint, Department, Hospital

from .models import Appointment, BookingSettings, Slot, WaitlistEntry

BOOKING_WINDOW_DAYS = 28


def booking_window(today: date | None = None) -> tuple[date, date]:
    """The first and last day a visit, a waiting-list place or a transfer may be
    asked for: today, to the last day the slot lists show (the booking window and
    the week past it that days_with_free_slots shows)."""
    today = today or timezone.localdate()
    return today, today + timedelta(days=BOOKING_WINDOW_DAYS + 7)


def _count_subquery(queryset) -> Coalesce:
    counted = queryset.order_by().values("slot_ref").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def slots_with_places(*, now: datetime | None = None, for_resident=None) -> QuerySet[Slot]:
    """Slots annotated with `taken` (bookings holding a place plus live waiting-list
    holds of other residents) and `free` (capacity minus taken)."""
    now = now or timezone.now()
    booked = Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)
    holds = WaitlistEntry.objects.filter(
        offered_slot=OuterRef("pk"), status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=now
    )
    if for_resident is not None:
        holds = holds.exclude(resident=for_resident)
    from django.db.models import F

    return Slot.objects.annotate(
        booked_count=_count_subquery(booked.annotate(slot_ref=F("slot_id"))),
        hold_count=_count_subquery(holds.annotate(slot_ref=F("offered_slot_id"))),
    ).annotate(free=F("capacity") - F("booked_count") - F("hold_count"))


def bookable_slots(*, now: datetime | None = None, for_resident=None) -> QuerySet[Slot]:
    now = now or timezone.now()
    return slots_with_places(now=now, for_resident=for_resident).filter(
        starts_at__gt=now, is_blocked=False, department__hospital__is_active=True
    )


def free_slots(*, department_id: int, day: date | None = None, now=None, for_resident=None, limit: int = 200) -> list[Slot]:
    queryset = bookable_slots(now=now, for_resident=for_resident).filter(department_id=department_id, free__gt=0)
    if day is not None:
        queryset = queryset.filter(starts_at__date=day)
    return list(queryset.select_related("department__hospital", "department__specialty").order_by("starts_at")[:limit])


def day_slots(*, department_id: int, day: date, now=None, for_resident=None) -> list[Slot]:
    """Every bookable-in-principle slot of a day, full ones included (to offer the waiting list)."""
    return list(
        bookable_slots(now=now, for_resident=for_resident)
        .filter(department_id=department_id, starts_at__date=day)
        .order_by("starts_at")
    )


class DayPlaces(NamedTuple):
    """A day of the booking date picker and how many places are free on it."""

    day: date
    free: int


def days_with_free_slots(*, department_id: int, now=None, for_resident=None) -> list[DayPlaces]:
    """The days with a free place, in order, each with its number of free places
    (one query: narrow rows of the free slots in the window)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=BOOKING_WINDOW_DAYS + 7)
    rows = (
        bookable_slots(now=now, for_resident=for_resident)
        .filter(department_id=department_id, free__gt=0, starts_at__lte=horizon)
        .values_list("starts_at", "free")
    )
    places: dict[date, int] = defaultdict(int)
    for starts_at, free in rows:
        places[timezone.localtime(starts_at).date()] += free
    return [DayPlaces(day, places[day]) for day in sorted(places)]


def nearest_free_slots(*, slot: Slot, for_resident=None, limit: int = 5, now=None) -> list[Slot]:
    """Free slots of the same department closest in time to `slot` (its alternatives)."""
    now = now or timezone.now()
    window = timedelta(days=14)
    candidates = list(
        bookable_slots(now=now, for_resident=for_resident)
        .filter(department_id=slot.department_id, free__gt=0,
                starts_at__gte=slot.starts_at - window, starts_at__lte=slot.starts_at + window)
        .exclude(pk=slot.pk)
        .select_related("department__hospital", "department__specialty")
    )
    candidates.sort(key=lambda other: abs((other.starts_at - slot.starts_at).total_seconds()))
    return sorted(candidates[:limit], key=lambda other: other.starts_at)


def bookable_hospitals() -> list[Hospital]:
    """Hospitals with at least one department that has upcoming slots."""
    now = timezone.now()
    has_slots = Slot.objects.filter(department__hospital=OuterRef("pk"), starts_at__gt=now, is_blocked=False)
    from django.db.models import Exists

    return list(
        Hospital.objects.filter(is_active=True).filter(Exists(has_slots)).select_related("city").order_by("city__sort_order", "slug")
    )


def bookable_departments(*, hospital: Hospital) -> list[Department]:
    now = timezone.now()
    from django.db.models import Exists

    has_slots = Slot.objects.filter(department=OuterRef("pk"), starts_at__gt=now, is_blocked=False)
    return list(hospital.departments.filter(Exists(has_slots)).select_related("specialty"))


def appointments_of(*, resident) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(resident=resident)
        .select_related("slot__department__hospital", "slot__department__specialty", "booked_by__profile",
                        "booked_by__centre_membership__centre", "booked_via")
    )


# What the API's AppointmentOut reads, each translated name with all its
# language columns (the fallbacks). Compiling and reading the full rows of four
# tables was half the CPU of a booking request.
API_FIELDS = (
    "reference", "status", "resident_id", "booked_by_id", "slot_id", "reason", "id_document", "pay_with_vouchers",
    "created_at", "slot__starts_at", "slot__ends_at", "slot__department__hospital_id",
    *(f"{prefix}__name_{code.replace('-', '_')}" for prefix in (
        "slot__department", "slot__department__hospital", "slot__department__specialty")
      for code, _name in settings.LANGUAGES),
)


def appointments_for_api(*, resident) -> QuerySet[Appointment]:
    """`appointments_of` with only what the API shows (whether staff booked,
    not who)."""
    return (
        Appointment.objects.filter(resident=resident)
        .select_related("slot__department__hospital", "slot__department__specialty")
        .only(*API_FIELDS)
    )


@dataclass
class AppointmentLists:
    upcoming: list[Appointment]
    past: list[Appointment]


def my_appointments(*, resident, now=None) -> AppointmentLists:
    """Upcoming (booked, in the future) and past-or-closed appointments; one query."""
    now = now or timezone.now()
    upcoming, past = [], []
    for appointment in appointments_of(resident=resident).order_by("starts_at"):
        if appointment.status == Appointment.Status.BOOKED and appointment.starts_at > now:
            upcoming.append(appointment)
        else:
            past.append(appointment)
    past.reverse()
    return AppointmentLists(upcoming=upcoming, past=past)


def appointment_for(*, resident, reference: str) -> Appointment:
    """One appointment of `resident`, or 404. Callers resolve `resident` from the
    requesting user (themselves, or a consenting resident for centre staff)."""
    appointment = appointments_of(resident=resident).filter(reference=reference).first()
    if appointment is None:
        raise Http404
    return appointment


def booking_settings_for(hospital: Hospital) -> BookingSettings:
    try:
        return hospital.booking_settings
    except BookingSettings.DoesNotExist:
        return BookingSettings(hospital=hospital)


def nearest_border_point(hospital: Hospital):
    from portal.hospitals.geo import nearest_border_points

    found = nearest_border_points(hospital, list(BorderPoint.objects.all()), limit=1)
    return found[0] if found else None


def waitlist_of(*, resident) -> list[WaitlistEntry]:
    return list(
        WaitlistEntry.objects.filter(resident=resident)
        .filter(Q(status=WaitlistEntry.Status.WAITING) | Q(status=WaitlistEntry.Status.OFFERED, offer_expires_at__gt=timezone.now()))
        .select_related("department__hospital", "department__specialty", "offered_slot")
    )
