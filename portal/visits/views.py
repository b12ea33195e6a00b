"""The visit guide page (and its print version: the same page with print CSS).
The appointment is fetched through appointments' selector for the resident the
request acts for (themself, or through appointments.views.on_behalf), so the
guide has the appointment pages' scope and access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.appointments.selectors import appointment_for
from portal.care.doors import CareRefused

from . import services
from .forms import AttachForm, CrossingForm, DocumentForm, HealthSummaryForm, ShareForm
from .selectors import (
    document_for,
    documents_acting_for,
    documents_visible_to,
    health_summary_of,
    summary_acting_for,
    visit_guide,
)


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


# --- Documents from visits ----------------------------------------------------------------


def _open_transfers(resident):
    from django.db.models import Q

    from portal.transfers.models import TransferRequest
    from portal.transfers.workflow import FINAL_STATES

    return (TransferRequest.objects.filter(Q(requester=resident) | Q(patient_user=resident))
            .exclude(state__in=FINAL_STATES).order_by("-created_at"))


def _documents_url(acting, reference: str) -> str:
    if acting.care_link is not None:
        return reverse("visits:documents_for", args=[acting.resident.pk, reference])
    return reverse("visits:documents", args=[reference])


@login_required
def documents(request: HttpRequest, reference: str, resident_id: int | None = None) -> HttpResponse:
    """The documents of one visit: the resident's (or, with the health summary right,
    a caregiver's) page to upload them; the resident also shares each one."""
    from portal.care.services import access_log_record

    try:
        acting = documents_acting_for(request.user, resident_id)
    except CareRefused as refused:
        return render(request, "care/refused.html", {"message": refused.message}, status=403)
    resident = acting.resident
    appointment = appointment_for(resident=resident, reference=reference)
    form = DocumentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.visit_document_add(actor=request.user, appointment=appointment,
                                            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", " ".join(error.messages))
            else:
                messages.success(request, _("The document is stored. Only you can see it until you share it.")
                                 if acting.care_link is None else _("The document is stored with the visit."))
                return redirect(_documents_url(acting, reference))
        status = 400
    elif acting.care_link is not None:
        access_log_record(link=acting.care_link, what="visit_document")
    listed = list(documents_visible_to(request.user).filter(appointment=appointment))
    is_resident = acting.care_link is None
    centres = services.centres_to_share_with(resident) if is_resident else None
    transfers = _open_transfers(resident) if is_resident else None
    return render(request, "visits/documents.html", {
        "appointment": appointment, "documents": [
            (document, ShareForm(prefix=f"share-{document.pk}", centres=centres,
                                 initial={"centre": document.shared_with_id}) if is_resident else None)
            for document in listed],
        "form": form, "care_link": acting.care_link, "resident": resident, "is_resident": is_resident,
        "attach_form": AttachForm(transfers=transfers) if is_resident and transfers.exists() else None,
    }, status=status)


@login_required
def document_download(request: HttpRequest, pk: int):
    """Stream one document after the scope check; every read by someone other than
    the resident goes into the resident's access log (decision 0064)."""
    from urllib.parse import urlencode

    from django.http import FileResponse

    from portal.centres.selectors import case_reason

    document = document_for(request.user, pk)
    resident = document.resident
    try:
        services.document_read_record(actor=request.user, document=document,
                                      why=case_reason(request, resident.pk))
    except PermissionDenied:  # centre staff: say why first, then come back
        return redirect(reverse("centres:case_open", args=[resident.pk]) + "?"
                        + urlencode({"next": request.get_full_path()}))
    path = services.document_path(document)
    if not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=document.content_type,  # noqa: SIM115
                            as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_share(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request.user, pk)
    if request.user.pk != document.resident_id:
        raise Http404
    form = ShareForm(request.POST, prefix=f"share-{document.pk}",
                     centres=services.centres_to_share_with(document.resident))
    if not form.is_valid():
        messages.error(request, _("Choose a service centre you have given your consent to."))
    else:
        try:
            services.visit_document_share(actor=request.user, document=document, centre=form.cleaned_data["centre"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            centre = form.cleaned_data["centre"]
            messages.success(request, _("Shared with %(centre)s.") % {"centre": centre.name} if centre
                             else _("The document is private again."))
    return redirect(reverse("visits:documents", args=[document.appointment.reference]))


@login_required
@require_POST
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for(request.user, pk)
    if request.user.pk != document.resident_id:
        raise Http404
    form = AttachForm(request.POST, transfers=_open_transfers(document.resident))
    if not form.is_valid():
        messages.error(request, _("Choose one of your open transfers."))
    else:
        transfer = form.cleaned_data["transfer"]
        try:
            services.visit_document_attach(actor=request.user, document=document, transfer=transfer)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Attached to transfer %(reference)s.") % {"reference": transfer.reference})
    return redirect(reverse("visits:documents", args=[document.appointment.reference]))


@login_required
def shared_documents(request: HttpRequest) -> HttpResponse:
    """Centre staff: the documents residents shared with their centre (and still
    consent to it). Opening one goes into the resident's access log."""
    from portal.centres.selectors import centre_of

    centre = centre_of(request.user)
    if centre is None:
        raise Http404
    listed = documents_visible_to(request.user).filter(shared_with=centre).order_by("-shared_at")[:200]
    return render(request, "visits/shared_documents.html", {"documents": listed, "centre": centre})
