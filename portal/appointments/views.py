"""Resident pages for booking, changing and cancelling appointments. The same
views serve caregivers with the right to manage a resident's appointments, and
centre staff acting for a consenting resident, under
/appointments/for/<resident id>/... (`resident_id` in the URL)."""

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.validators import slug_re
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.care.doors import CareRefused, resident_acted_for
from portal.care.models import Right
from portal.hospitals.models import Department, Hospital

from . import selectors, services
from .forms import BookingDetailsForm, SlotChoiceForm, WaitlistForm
from .ics import appointment_ics
from .models import Appointment


def on_behalf(view):
    """Wraps every page under /appointments/for/<resident id>/ (see urls.py): the
    one place where someone else reaches a resident's appointments.

    - A caregiver with the right to manage the resident's appointments
      (portal.care's rule, checked in the database on every request): each read
      (GET) is written to the resident's access log; writes are recorded on the
      appointment, with the care relationship they acted through.
    - Staff of a centre the resident currently consents to: no fresh reason for
      this case in the session: off to the centre console to give one first, then
      back here. Each read is logged with that reason; writes are recorded on the
      appointment, as done on behalf.
    - A caregiver whose right was withdrawn or ended: a page saying so (403).
    - Anyone else: 404."""
    from urllib.parse import urlencode

    @wraps(view)
    def wrapper(request: HttpRequest, *args, resident_id: int, **kwargs) -> HttpResponse:
        from portal.care.services import access_log_record as care_access_log_record
        from portal.centres.selectors import case_reason
        from portal.centres.services import access_log_record

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if resident_id == request.user.pk:
            raise Http404
        try:
            acting = resident_acted_for(request.user, resident_id, Right.APPOINTMENTS)
        except CareRefused as refused:
            return render(request, "care/refused.html", {"message": refused.message}, status=403)
        resident = acting.resident
        if acting.care_link is not None:
            if request.method in ("GET", "HEAD"):
                care_access_log_record(link=acting.care_link, what="appointments")
        else:
            why = case_reason(request, resident.pk)
            if not why:
                return redirect(reverse("centres:case_open", args=[resident.pk]) + "?"
                                + urlencode({"next": request.get_full_path()}))
            if request.method in ("GET", "HEAD"):
                access_log_record(staff=request.user, resident=resident, what="appointments", why=why)
        request.appointments_acting_for = resident
        request.care_link = acting.care_link
        return view(request, *args, resident_id=resident_id, **kwargs)

    return wrapper


def _subject(request: HttpRequest, resident_id: int | None):
    """(resident whose appointments these are, acting_for for templates)."""
    if resident_id is None:
        return request.user, None
    resident = getattr(request, "appointments_acting_for", None)
    if resident is None or resident.pk != resident_id:  # not reached through on_behalf(): refuse
        raise Http404
    return resident, resident


def _url(acting_for, name: str, *args) -> str:
    if acting_for is not None:
        return reverse(f"appointments:for_{name}", args=[acting_for.pk, *args])
    return reverse(f"appointments:{name}", args=args)


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def index(request: HttpRequest, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    hospital_slug = request.GET.get("hospital")
    if hospital_slug:
        if not slug_re.fullmatch(hospital_slug):
            raise Http404  # no hospital has it: it could not even be put in the address
        url = _url(acting_for, "book_hospital", hospital_slug)
        department = request.GET.get("department", "")
        if department.isdigit():
            url = _url(acting_for, "book_department", hospital_slug, int(department))
        return redirect(url)
    lists = selectors.my_appointments(resident=resident)
    return render(request, "appointments/index.html", {
        "acting_for": acting_for, "upcoming": lists.upcoming, "past": lists.past,
        "hospitals": selectors.bookable_hospitals(), "waitlist": selectors.waitlist_of(resident=resident),
    })


@login_required
def book_hospital(request: HttpRequest, hospital_slug: str, resident_id: int | None = None) -> HttpResponse:
    _resident, acting_for = _subject(request, resident_id)
    hospital = get_object_or_404(Hospital.objects.select_related("city"), slug=hospital_slug, is_active=True)
    departments = selectors.bookable_departments(hospital=hospital)
    return render(request, "appointments/book_hospital.html", {
        "acting_for": acting_for, "hospital": hospital, "departments": departments,
    })


@login_required
def book_department(request: HttpRequest, hospital_slug: str, department_id: int, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    department = get_object_or_404(
        Department.objects.select_related("hospital", "specialty"), pk=department_id, hospital__slug=hospital_slug,
        hospital__is_active=True,
    )
    days = selectors.days_with_free_slots(department_id=department.pk, for_resident=resident)
    day = _parse_day(request.GET.get("date")) or (days[0].day if days else None)
    slots = selectors.day_slots(department_id=department.pk, day=day, for_resident=resident) if day else []
    return render(request, "appointments/book_department.html", {
        "acting_for": acting_for, "department": department, "hospital": department.hospital,
        "days": days, "day": day, "slots": slots, "any_full": any(slot.free <= 0 for slot in slots),
    })


@login_required
def book_slot(request: HttpRequest, slot_id: int, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    slot = get_object_or_404(
        selectors.slots_with_places(for_resident=resident).select_related("department__hospital", "department__specialty"),
        pk=slot_id,
    )
    form = BookingDetailsForm(request.POST or None, resident=resident, department=slot.department)
    status, error, alternatives = 200, None, []
    if request.method == "POST":
        if form.is_valid():
            try:
                appointment = services.appointment_book(
                    actor=request.user, resident=resident, slot_id=slot.pk, reason=form.cleaned_data["reason"],
                    id_document=form.cleaned_data["id_document"],
                    pay_with_vouchers=form.cleaned_data.get("pay_with_vouchers", False),
                )
            except services.NotPermitted as exc:
                raise Http404 from exc
            except services.BookingError as exc:
                status, error, alternatives = exc.status, exc.message, exc.alternatives
            else:
                messages.success(request, _("Your appointment is booked."))
                return redirect(_url(acting_for, "detail", appointment.reference))
        else:
            status = 400
    return render(request, "appointments/book_slot.html", {
        "acting_for": acting_for, "slot": slot, "department": slot.department, "hospital": slot.department.hospital,
        "form": form, "error": error, "alternatives": alternatives, "alternatives_expected": status == 409, "no_documents": not form.fields["id_document"].choices,
    }, status=status)


@login_required
@require_POST
def waitlist_join(request: HttpRequest, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    form = WaitlistForm(request.POST)
    if not form.is_valid():
        raise Http404
    department = get_object_or_404(Department.objects.select_related("hospital"), pk=form.cleaned_data["department"])
    try:
        services.waitlist_join(actor=request.user, resident=resident, department_id=department.pk, day=form.cleaned_data["date"])
    except services.BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are on the waiting list. We will send you a message if a place frees up."))
    return redirect(_url(acting_for, "index"))


@login_required
@require_POST
def waitlist_leave(request: HttpRequest, entry_id: int, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    try:
        services.waitlist_leave(actor=request.user, resident=resident, entry_id=entry_id)
    except services.NotPermitted as exc:
        raise Http404 from exc
    messages.success(request, _("You have left the waiting list."))
    return redirect(_url(acting_for, "index"))


def _detail_context(appointment: Appointment) -> dict:
    hospital = appointment.slot.department.hospital
    hospital_settings = selectors.booking_settings_for(hospital)
    now = timezone.now()
    active = appointment.status == Appointment.Status.BOOKED
    return {
        "appointment": appointment, "hospital": hospital, "department": appointment.slot.department,
        "border_point": selectors.nearest_border_point(hospital),
        "settings": hospital_settings,
        "can_cancel": active and appointment.starts_at - timedelta(hours=hospital_settings.cancel_cutoff_hours) > now,
        "can_reschedule": active and appointment.starts_at - timedelta(hours=hospital_settings.reschedule_cutoff_hours) > now,
        "events": list(appointment.events.select_related("actor__profile", "care_link")),
    }


@login_required
def detail(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    appointment = selectors.appointment_for(resident=resident, reference=reference)
    from portal.centres.selectors import escorts_for_appointment

    escorts = escorts_for_appointment(appointment)
    return render(request, "appointments/detail.html", {
        "acting_for": acting_for, **_detail_context(appointment),
        "escorts": escorts, "escort_open": any(escort.status != "cancelled" for escort in escorts),
        "escort_request_url": "" if getattr(request, "care_link", None) else _escort_request_url(acting_for, appointment),
    })


def _escort_request_url(acting_for, appointment: Appointment) -> str:
    """Where to ask a service centre for an escort to this visit, the appointment chosen."""
    if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= timezone.now():
        return ""
    if acting_for is not None:
        url = reverse("centres:escort_new_for", args=[acting_for.pk])
    else:
        url = reverse("centres:my_escorts")
    return f"{url}?appointment={appointment.reference}"


@login_required
def calendar_file(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    appointment = selectors.appointment_for(resident=resident, reference=reference)
    link = request.build_absolute_uri(reverse("appointments:detail", args=[appointment.reference]))
    response = HttpResponse(appointment_ics(appointment, link=link, now=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.reference}.ics"'
    return response


@login_required
def cancel(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    appointment = selectors.appointment_for(resident=resident, reference=reference)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.appointment_cancel(actor=request.user, resident=resident, reference=reference)
        except services.NotPermitted as exc:
            raise Http404 from exc
        except services.BookingError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Your appointment is cancelled."))
            return redirect(_url(acting_for, "index"))
    return render(request, "appointments/cancel.html", {
        "acting_for": acting_for, "error": error, **_detail_context(appointment),
    }, status=status)


@login_required
def reschedule(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _subject(request, resident_id)
    appointment = selectors.appointment_for(resident=resident, reference=reference)
    department = appointment.slot.department
    error, status, alternatives = None, 200, []
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        if form.is_valid():
            try:
                services.appointment_reschedule(actor=request.user, resident=resident, reference=reference,
                                                slot_id=form.cleaned_data["slot"])
            except services.NotPermitted as exc:
                raise Http404 from exc
            except services.BookingError as exc:
                error, status, alternatives = exc.message, exc.status, exc.alternatives
            else:
                messages.success(request, _("Your appointment is changed."))
                return redirect(_url(acting_for, "detail", reference))
        else:
            error, status = _("Please choose a time."), 400
    days = selectors.days_with_free_slots(department_id=department.pk, for_resident=resident)
    day = _parse_day(request.GET.get("date")) or (days[0].day if days else None)
    slots = selectors.free_slots(department_id=department.pk, day=day, for_resident=resident) if day else []
    return render(request, "appointments/reschedule.html", {
        "acting_for": acting_for, "error": error, "alternatives": alternatives, "alternatives_expected": status == 409,
        "days": days, "day": day,
        "slots": [slot for slot in slots if slot.pk != appointment.slot_id], **_detail_context(appointment),
    }, status=status)

