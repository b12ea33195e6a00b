"""Every write about transfers. Each move of the workflow has its own service;
all of them go through `_move`, which makes the move with the workflow's one
function (portal.core.workflow: a conditional UPDATE and a TransferEvent in the
same transaction) and notifies every party in their own language."""

from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from portal.accounts import identity
from portal.appointments.selectors import booking_window
from portal.care.doors import acting_for
from portal.care.models import Right
from portal.core import private_files
from portal.notifications.services import notify

from .models import (
    Attachment,
    Escort,
    Route,
    TransferEvent,
    TransferRequest,
)
from .selectors import care_link_of, may_request_transfer_for, parties_of, requester_as, roles_of
from .workflow import FINAL_STATES, WORKFLOW, Move, Role, State

EVENT = "transfer_state_changed"


class TransferError(ValidationError):
    """A refused request: the message is translated and safe to show."""


# --- Filing -----------------------------------------------------------------


def route_refusal(route: Route) -> str | None:
    """Why `route` cannot be requested, or None when it can: only a running route
    can (FACTS.md, December 2026: the northbound route was a drill). The one rule
    the request form, the API and the route lists all ask."""
    if route.status == Route.Status.RUNNING:
        return None
    if route.status == Route.Status.DRILL:
        return _("This route has only been tested in a drill. It is not running, so it cannot be requested. "
                 "Ask the hospital whether another route can take the patient.")
    return _("This route is planned but not running yet, so it cannot be requested. "
             "Ask the hospital whether another route can take the patient.")


@transaction.atomic
def transfer_submit(
    *,
    actor,
    requester,
    route: Route,
    reverse_direction: bool = False,
    patient_kind: str,
    patient_user=None,
    patient_name: str = "",
    patient_document: str = "",
    patient_document_type: str = "",
    clinical_summary: str,
    mobility_needs: str = "",
    equipment_needs: str = "",
    escorts: list[dict] | None = None,
    preferred_date: date,
    preferred_time: time | None = None,
    consent_to_share: bool,
) -> TransferRequest:
    """File a request for `requester` (the actor themself, a resident whose
    consent the acting centre staff holds, or the person a caregiver may request
    transfers for: selectors.may_request_transfer_for, through portal.care's rule).
    A patient with an account must be one the actor may request for too. The
    consent to share is the requester's: a caregiver or staff member passes it on,
    and the requester is told of the request."""
    acting = acting_for(actor, requester, Right.TRANSFERS)
    if acting is None:
        raise PermissionDenied(_("You may not file a transfer for this resident."))
    if not consent_to_share:
        raise TransferError(_("The transfer cannot be requested without consent to share the information."))
    refusal = route_refusal(route)
    if refusal is not None:
        raise TransferError(refusal, code="route_not_running")
    if reverse_direction and route.direction != Route.Direction.BOTH:
        raise TransferError(_("This route runs in one direction only."))
    first, last = booking_window()
    if not first <= preferred_date <= last:
        raise TransferError(_("Choose a preferred date between %(first)s and %(last)s.") % {
            "first": formats.date_format(first, "DATE_FORMAT"), "last": formats.date_format(last, "DATE_FORMAT")})
    kind = TransferRequest.PatientKind(patient_kind)
    if acting.care_link is not None and kind != TransferRequest.PatientKind.SELF:
        raise TransferError(_("As a caregiver, you can request a transfer only with the person you care for as "
                              "the patient."))
    if kind == TransferRequest.PatientKind.SELF:
        patient_user = requester
    elif kind == TransferRequest.PatientKind.RESIDENT and (
            patient_user is None or not may_request_transfer_for(actor, patient_user)):
        # One answer for an unknown address and for someone else's account.
        raise TransferError(_("You can name as the patient only yourself or a resident who has consented to "
                              "your centre's help. For someone else, choose “Someone without an account”."))
    if kind in (TransferRequest.PatientKind.SELF, TransferRequest.PatientKind.RESIDENT):
        profile = getattr(patient_user, "profile", None)
        patient_name = patient_name or patient_user.display_name
        document_type, masked = "", ""
        if profile is not None and profile.id_document_number:
            document_type, masked = profile.id_document_type, profile.masked_id_number
        elif profile is not None and profile.travel_permit_number:
            document_type, masked = identity.TRAVEL_PERMIT, profile.masked_travel_permit
    else:
        patient_user = None
        if not patient_name.strip():
            raise TransferError(_("Enter the patient's name."))
        document_type, masked = "", ""
        if patient_document.strip():
            # Checked like every identity number in the portal; only the masked form is kept.
            try:
                if patient_document_type:
                    number = identity.normalise(patient_document_type, patient_document)
                    document_type = patient_document_type
                else:
                    document_type, number = identity.detect(patient_document)
            except ValidationError as error:
                raise TransferError(error.messages[0], code=error.code) from error
            masked = identity.mask_identity_number(number)
    sending, receiving = route.sending_hospital, route.receiving_hospital
    if reverse_direction:
        sending, receiving = receiving, sending
    transfer = TransferRequest.objects.create(
        requester=requester, filed_by=actor, patient_kind=kind, patient_user=patient_user,
        patient_name=patient_name.strip(), patient_document_masked=masked, patient_document_type=document_type,
        route=route,
        sending_hospital=sending, receiving_hospital=receiving, border_point=route.border_point,
        clinical_summary=clinical_summary, mobility_needs=mobility_needs, equipment_needs=equipment_needs,
        preferred_date=preferred_date, preferred_time=preferred_time, consent_to_share=True,
        fee_quoted_rmb=route.fee_rmb,
    )
    Escort.objects.bulk_create(
        [Escort(transfer=transfer, kind=row["kind"], name=row["name"], relationship=row.get("relationship", ""))
         for row in escorts or [] if row.get("name")]
    )
    TransferEvent.objects.create(
        transfer=transfer, from_state="", to_state=State.SUBMITTED, actor=actor, role=Role.REQUESTER, note="",
        care_link=acting.care_link,
    )
    _notify_parties(transfer=transfer, from_state="", to_state=State.SUBMITTED, note="")
    return transfer


# --- Moves ------------------------------------------------------------------


def _record(*, instance: TransferRequest, move: Move, actor, note: str) -> None:
    # A move a caregiver makes as the requester is recorded with their care link.
    care_link = care_link_of(actor, instance, scoped=False) if (
        move.role == Role.REQUESTER and requester_as(actor, instance) == "caregiver") else None
    TransferEvent.objects.create(
        transfer=instance, from_state=move.source, to_state=move.target, actor=actor, role=move.role, note=note,
        care_link=care_link,
    )


@transaction.atomic
def _move(*, actor, transfer: TransferRequest, target: State, note: str = "", updates: dict | None = None) -> TransferRequest:
    source = transfer.state
    WORKFLOW.move(transfer, target=target, actor=actor, roles=roles_of(actor, transfer), note=note,
                  updates=updates, record=_record)
    _notify_parties(transfer=transfer, from_state=source, to_state=target, note=note.strip())
    return transfer


def transfer_review(*, actor, transfer: TransferRequest, note: str = "") -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.CLINICALLY_REVIEWED, note=note)


def transfer_accept(*, actor, transfer: TransferRequest, note: str = "") -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.ACCEPTED, note=note)


def transfer_decline(*, actor, transfer: TransferRequest, note: str) -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.DECLINED, note=note)


def transfer_preregister(
    *,
    actor,
    transfer: TransferRequest,
    vehicle_plate_hk_macao: str,
    vehicle_plate_mainland: str,
    crew: str,
    documents_checked: bool,
    crossing_border_point,
    crossing_at: datetime,
    note: str = "",
) -> TransferRequest:
    if not (vehicle_plate_hk_macao.strip() and vehicle_plate_mainland.strip()):
        raise TransferError(_("Enter both plates of the dual-plate ambulance."))
    if not crew.strip():
        raise TransferError(_("Enter the crew on board."))
    if not documents_checked:
        raise TransferError(_("Check the patient's travel documents before pre-registering the crossing."))
    if crossing_border_point is None or crossing_at is None:
        raise TransferError(_("Enter the border control point and the crossing time."))
    first, last = booking_window()
    if not first <= crossing_at.date() <= last:  # the date as entered: year 1 or 9999 cannot be converted
        raise TransferError(_("Choose a crossing time between %(first)s and %(last)s.") % {
            "first": formats.date_format(first, "DATE_FORMAT"), "last": formats.date_format(last, "DATE_FORMAT")})
    return _move(
        actor=actor, transfer=transfer, target=State.CROSSING_PREREGISTERED, note=note,
        updates={
            "vehicle_plate_hk_macao": vehicle_plate_hk_macao.strip().upper(),
            "vehicle_plate_mainland": vehicle_plate_mainland.strip().upper(),
            "crew": crew.strip(), "documents_checked": True,
            "crossing_border_point": crossing_border_point, "crossing_at": crossing_at,
        },
    )


def transfer_schedule(*, actor, transfer: TransferRequest, note: str = "") -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.SCHEDULED, note=note)


def transfer_depart(*, actor, transfer: TransferRequest, note: str = "") -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.IN_TRANSIT, note=note)


def transfer_hand_over(*, actor, transfer: TransferRequest, note: str = "") -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.HANDED_OVER, note=note)


def transfer_cancel(*, actor, transfer: TransferRequest, note: str) -> TransferRequest:
    return _move(actor=actor, transfer=transfer, target=State.CANCELLED, note=note)


def transfer_move(*, actor, transfer: TransferRequest, target: str, note: str = "", **details) -> TransferRequest:
    """Make a requested move (from a page or the API) through its service."""
    move = WORKFLOW.allowed(transfer, target)
    if move.needs_crossing:
        return transfer_preregister(actor=actor, transfer=transfer, note=note, **details)
    return _move(actor=actor, transfer=transfer, target=move.target, note=note)


def _notify_parties(*, transfer: TransferRequest, from_state: str, to_state: str, note: str) -> None:
    context = {
        "transfer_id": transfer.pk, "reference": transfer.reference, "from_state": from_state,
        "to_state": to_state, "note": note,
    }
    if to_state == State.CROSSING_PREREGISTERED and transfer.crossing_at:
        context["crossing_at"] = transfer.crossing_at.isoformat()
    for person in parties_of(transfer):
        with translation.override(person.language):
            link = reverse("transfers:detail", kwargs={"pk": transfer.pk})
        notify(recipient=person, event=EVENT, context=context, link=link, group_key=f"transfer:{transfer.pk}",
               about=transfer)


# --- Attachments --------------------------------------------------------------

ATTACHMENT_FOLDER = "transfers"


def attachment_path(attachment: Attachment) -> Path:
    return private_files.private_path(ATTACHMENT_FOLDER, attachment.stored_name)


def attachment_add(*, actor, transfer: TransferRequest, upload) -> Attachment:
    if not roles_of(actor, transfer):
        raise PermissionDenied(_("You may not add documents to this transfer."))
    if requester_as(actor, transfer) == "caregiver" and not ({Role.SENDING, Role.RECEIVING} & roles_of(actor, transfer)):
        # Sharing medical documents is the patient's own consent to give (docs/decisions/0061).
        raise PermissionDenied(_("Only the patient, or a service centre helping them, may add documents."))
    if transfer.state in FINAL_STATES:
        raise TransferError(_("This transfer is closed; no more documents can be added."))
    limit = settings.TRANSFER_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise TransferError(
            _("The file is too large: the limit is %(size)s MB.") % {"size": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise TransferError(_("The file is empty."))
    kind = private_files.sniff_upload(upload)
    if kind is None:
        raise TransferError(_("Only PDF, JPEG and PNG files are accepted."))
    stored_name, path = private_files.write_private(upload, folder=ATTACHMENT_FOLDER, kind=kind)
    try:
        with transaction.atomic():
            return Attachment.objects.create(
                transfer=transfer, uploaded_by=actor, original_name=Path(upload.name).name[:200],
                stored_name=stored_name, content_type=kind.content_type, size=upload.size,
            )
    except Exception:
        path.unlink(missing_ok=True)
        raise
