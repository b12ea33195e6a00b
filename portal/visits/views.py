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

from . import services
from .forms import CrossingForm
from .selectors import visit_guide


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
