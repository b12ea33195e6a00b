"""The visit guide page (and its print version: the same page with print CSS).
The appointment is fetched through appointments' selector for the resident the
request acts for (themself, or through appointments.views.on_behalf), so the
guide has the appointment pages' scope and access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.appointments.selectors import appointment_for
from portal.care.doors import CareRefused

from . import services
from .forms import CrossingForm, HealthSummaryForm
from .selectors import health_summary_of, summary_acting_for, visit_guide


def _resident(request: HttpRequest, resident_id: int | None):
    if resident_id is None:
        return request.user, None
    resident = getattr(request, "appointments_acting_for", None)
    if resident is None or resident.pk != resident_id:  # not reached through on_behalf(): refuse
        raise Http404
    return resident, resident


@login_required
def guide(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    resident, acting_for = _resident(request, resident_id)
    appointment = appointment_for(resident=resident, reference=reference)
    form = CrossingForm(request.POST or request.GET or None)
    crossing_code = ""
    if form.is_valid() and form.cleaned_data["crossing"] is not None:
        crossing_code = form.cleaned_data["crossing"].code
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "visits/guide.html", {"form": form, "acting_for": acting_for,
                                                         "guide": visit_guide(appointment=appointment,
                                                                              viewer=request.user)}, status=400)
        if form.cleaned_data["remember"]:
            try:
                services.usual_crossing_set(actor=request.user, resident=resident,
                                            border_point=form.cleaned_data["crossing"])
            except PermissionDenied as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your usual crossing is saved."))
        url = request.path + (f"?crossing={crossing_code}" if crossing_code else "")
        return redirect(url)
    guide = visit_guide(appointment=appointment, crossing_code=crossing_code, viewer=request.user)
    if guide.crossing is not None and not form.is_bound:
        form = CrossingForm(initial={"crossing": guide.crossing})
    appointment_url = (reverse("appointments:for_detail", args=[acting_for.pk, reference]) if acting_for
                       else reverse("appointments:detail", args=[reference]))
    return render(request, "visits/guide.html", {
        "guide": guide, "form": form, "acting_for": acting_for, "appointment_url": appointment_url,
        "is_resident": acting_for is None,
    })


# --- The health summary -------------------------------------------------------------------


def _summary_subject(request: HttpRequest, resident_id: int | None, *, what: str = "health_summary"):
    """The resident whose summary this is, through the one scoping function; a
    caregiver's read goes into the resident's access log."""
    from portal.care.services import access_log_record

    acting = summary_acting_for(request.user, resident_id)
    if acting.care_link is not None and request.method in ("GET", "HEAD"):
        access_log_record(link=acting.care_link, what=what)
    return acting


def _summary_urls(acting) -> dict:
    if acting.care_link is not None:
        args = [acting.resident.pk]
        return {"edit_url": reverse("visits:summary_for", args=args),
                "card_url": reverse("visits:summary_card_for", args=args)}
    return {"edit_url": reverse("visits:summary"), "card_url": reverse("visits:summary_card")}


@login_required
def summary(request: HttpRequest, resident_id: int | None = None) -> HttpResponse:
    try:
        acting = _summary_subject(request, resident_id)
    except CareRefused as refused:
        return render(request, "care/refused.html", {"message": refused.message}, status=403)
    resident = acting.resident
    current = health_summary_of(resident)
    form = HealthSummaryForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.health_summary_save(actor=request.user, resident=resident,
                                     connect_items=list(data.pop("connect_items")), **data)
        messages.success(request, _("The health summary is saved."))
        return redirect(_summary_urls(acting)["edit_url"])
    return render(request, "visits/summary.html", {
        "form": form, "resident": resident, "care_link": acting.care_link, **_summary_urls(acting),
    }, status=400 if request.method == "POST" else 200)


@login_required
def summary_card(request: HttpRequest, resident_id: int | None = None) -> HttpResponse:
    """The one-page card for the mainland doctor: Simplified Chinese, with the
    resident's own language beside it, showing only what the resident chose."""
    try:
        acting = _summary_subject(request, resident_id)
    except CareRefused as refused:
        return render(request, "care/refused.html", {"message": refused.message}, status=403)
    resident = acting.resident
    current = health_summary_of(resident)
    if current is None:
        messages.info(request, _("Fill in the health summary first."))
        return redirect(_summary_urls(acting)["edit_url"])
    own_language = resident.language or "en"
    return render(request, "visits/summary_card.html", {
        "summary": current, "resident": resident, "own_language": own_language,
        "languages": ["zh-hans"] if own_language == "zh-hans" else ["zh-hans", own_language],
        "other_medicines": current.lines(current.other_medicines), "allergies": current.lines(current.allergies),
        "conditions": current.lines(current.conditions), **_summary_urls(acting),
    })
