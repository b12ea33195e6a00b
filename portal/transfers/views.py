"""Pages: residents (and centre staff for consenting residents) file and follow
transfers; hospital admins act on the transfers touching their hospitals. Every
transfer is fetched through selectors.transfer_for: outside one's scope is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.care.doors import CareRefused, resident_acted_for
from portal.care.models import Right
from portal.care.selectors import elders_of
from portal.care.services import access_log_record as care_access_log_record
from portal.centres.selectors import residents_assisted_by
from portal.hospitals.selectors import hospital_ids_managed_by

from . import selectors, services
from .forms import (
    AttachmentForm,
    EscortFormSet,
    MoveForm,
    PreregistrationForm,
    TransferRequestForm,
)
from .workflow import WORKFLOW, Role


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


@login_required
def index(request):
    transfers = list(selectors.transfers_visible_to(request.user)[:100])
    assisted = list(residents_assisted_by(request.user).select_related("profile")[:100])
    cared_for = list(elders_of(request.user, Right.TRANSFERS).select_related("profile")[:100])
    return render(request, "transfers/index.html", {
        "transfers": transfers, "is_hospital_admin": bool(hospital_ids_managed_by(request.user)),
        "assisted": assisted, "cared_for": cared_for,
    })


@login_required
def hospital_list(request):
    if not hospital_ids_managed_by(request.user):
        raise Http404
    transfers = list(selectors.transfers_for_hospital_admin(request.user)[:200])
    return render(request, "transfers/hospital_list.html", {"transfers": transfers})


def _new(request, requester, care_link=None):
    routes = list(selectors.routes_all())
    form = TransferRequestForm(request.POST or None, request.FILES or None, routes=routes)
    if care_link is not None:
        # Sharing medical documents is the patient's own consent (docs/decisions/0061).
        form.fields.pop("attachment", None)
    escorts = EscortFormSet(request.POST or None, prefix="escorts")
    status = 200
    if request.method == "POST":
        if form.is_valid() and escorts.is_valid():
            data = form.cleaned_data
            route, reverse_direction = data["route"]
            try:
                with transaction.atomic():
                    transfer = services.transfer_submit(
                        actor=request.user, requester=requester, route=route, reverse_direction=reverse_direction,
                        patient_kind=data["patient_kind"], patient_user=data.get("patient_user"),
                        patient_name=data.get("patient_name", ""), patient_document=data.get("patient_document", ""),
                        patient_document_type=data.get("patient_document_type", ""),
                        clinical_summary=data["clinical_summary"], mobility_needs=data["mobility_needs"],
                        equipment_needs=data["equipment_needs"],
                        escorts=[row for row in escorts.cleaned_data if row.get("name")],
                        preferred_date=data["preferred_date"], preferred_time=data["preferred_time"],
                        consent_to_share=data["consent_to_share"],
                    )
                    if data.get("attachment"):
                        services.attachment_add(actor=request.user, transfer=transfer, upload=data["attachment"])
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, _("Your transfer request %(reference)s was sent to the sending hospital.")
                                 % {"reference": transfer.reference})
                return redirect("transfers:detail", pk=transfer.pk)
        status = 400
    return render(request, "transfers/new.html", {
        "form": form, "escorts": escorts, "requester": requester, "for_other": requester != request.user,
        "care_link": care_link,
        "routes": routes,
    }, status=status)


@login_required
def new(request):
    return _new(request, request.user)


def _centre_staff_read(request, resident, what: str = "transfers"):
    """Centre staff reading a consenting resident's transfers (or, with `what`, one
    of their documents): write the access log (reads only) with the reason given
    when the case was opened, or, when there is no fresh reason, send them to give
    one first (returns that redirect)."""
    from urllib.parse import urlencode

    from portal.centres.selectors import case_reason
    from portal.centres.services import access_log_record

    why = case_reason(request, resident.pk)
    if not why:
        return redirect(reverse("centres:case_open", args=[resident.pk]) + "?" + urlencode({"next": request.get_full_path()}))
    if request.method in ("GET", "HEAD"):
        access_log_record(staff=request.user, resident=resident, what=what, why=why)
    return None


@login_required
def new_for(request, resident_id: int):
    """A transfer request for someone else: centre staff for a consenting resident
    (with the reason for opening the case), or a caregiver with the right to
    request transfers for the person (portal.care's rule)."""
    if resident_id == request.user.pk:
        raise Http404
    try:
        acting = resident_acted_for(request.user, resident_id, Right.TRANSFERS)
    except CareRefused as refused:
        return render(request, "care/refused.html", {"message": refused.message}, status=403)
    if acting.care_link is not None:
        if request.method in ("GET", "HEAD"):
            care_access_log_record(link=acting.care_link, what="transfers")
        return _new(request, acting.resident, care_link=acting.care_link)
    asked = _centre_staff_read(request, acting.resident)
    if asked is not None:
        return asked
    return _new(request, acting.resident)


def _detail_context(request, transfer, **extra):
    roles = selectors.roles_of(request.user, transfer)
    actions = []
    for move in WORKFLOW.moves_from(transfer.state, roles):
        form_class = PreregistrationForm if move.needs_crossing else MoveForm
        initial = {"crossing_border_point": transfer.border_point_id} if move.needs_crossing else {}
        actions.append((move, extra.pop(f"form_{move.target}", None) or form_class(initial=initial, prefix=move.target)))
    return {
        "transfer": transfer, "roles": roles, "sees_details": bool(roles), "actions": actions,
        "is_requester": Role.REQUESTER in roles,
        "attachment_form": extra.pop("attachment_form", None) or AttachmentForm(),
        "acting_as_caregiver": selectors.requester_as(request.user, transfer) == "caregiver",
        **extra,
    }


@login_required
def detail(request, pk: int):
    transfer = selectors.transfer_for(request.user, pk)
    resident = selectors.assisted_party(request.user, transfer)
    if resident is not None:
        asked = _centre_staff_read(request, resident)
        if asked is not None:
            return asked
    elif (link := selectors.caregiver_reading(request.user, transfer)) is not None:
        care_access_log_record(link=link, what="transfers")
        return render(request, "transfers/detail.html", _detail_context(request, transfer, care_link=link))
    return render(request, "transfers/detail.html", _detail_context(request, transfer))


def _fail(request, transfer, error: Exception, **forms):
    status = 403 if isinstance(error, PermissionDenied) else 400
    context = _detail_context(request, transfer, error=_error_text(error), **forms)
    return render(request, "transfers/detail.html", context, status=status)


@login_required
@require_POST
def move(request, pk: int):
    transfer = selectors.transfer_for(request.user, pk)
    target = request.POST.get("to", "")
    prefix = target if target.isidentifier() else None
    is_crossing = target == "crossing_preregistered"
    form = (PreregistrationForm if is_crossing else MoveForm)(request.POST, prefix=prefix)
    if not form.is_valid():
        return _fail(request, transfer, ValidationError(_("Please correct the errors below.")),
                     **{f"form_{target}": form})
    data = dict(form.cleaned_data)
    try:
        services.transfer_move(actor=request.user, transfer=transfer, target=target, **data)
    except (ValidationError, PermissionDenied) as error:
        return _fail(request, transfer, error, **{f"form_{target}": form})
    messages.success(request, _("The transfer is now “%(state)s”.") % {"state": transfer.get_state_display()})
    return redirect("transfers:detail", pk=transfer.pk)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    transfer = selectors.transfer_for(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _fail(request, transfer, ValidationError(_("Please choose a file.")), attachment_form=form)
    try:
        services.attachment_add(actor=request.user, transfer=transfer, upload=form.cleaned_data["file"])
    except (ValidationError, PermissionDenied) as error:
        return _fail(request, transfer, error, attachment_form=form)
    messages.success(request, _("The document was added."))
    return redirect("transfers:detail", pk=transfer.pk)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    transfer = selectors.transfer_for(request.user, pk)
    if not selectors.can_see_details(request.user, transfer):
        raise Http404  # a caregiver limited to this transfer sees the timeline, not the documents
    attachment = get_object_or_404(transfer.attachments.all(), pk=attachment_id)
    resident = selectors.assisted_party(request.user, transfer)
    if resident is not None:  # centre staff: the download goes into the resident's access log
        asked = _centre_staff_read(request, resident, what="transfer_document")
        if asked is not None:
            return asked
    elif (link := selectors.caregiver_reading(request.user, transfer)) is not None:
        care_access_log_record(link=link, what="transfer_document")
    path = services.attachment_path(attachment)
    if not path.is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=attachment.content_type,  # noqa: SIM115
                            as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
