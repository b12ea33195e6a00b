"""Writes for service centres: consent, case notes, escorts, insurance claims and
the access log. Every function takes the acting user, checks that they may act,
writes in one transaction and records who did it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import private_files
from portal.core.workflow import Move, Workflow
from portal.notifications.services import notify

from .models import (
    AccessLogEntry,
    CaseNote,
    CentreMembership,
    ClaimDocument,
    ClaimEvent,
    Consent,
    EscortRequest,
    InsuranceClaim,
    ServiceCentre,
)
from .selectors import CLAIM_HANDLER, centre_of, claim_roles, staff_can_assist

# --- Consent -------------------------------------------------------------------

CONSENT_MONTHS = (3, 6, 12)
DEFAULT_CONSENT_MONTHS = 12


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    # Clamp the day (31 Jan + 1 month -> 28/29 Feb).
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


@transaction.atomic
def consent_grant(*, actor, centre: ServiceCentre, months: int = DEFAULT_CONSENT_MONTHS) -> Consent:
    """The resident `actor` lets `centre` assist them for `months` months from now.

    A live consent to the same centre is replaced (renewed); one that has expired
    without being revoked is closed at its expiry time first, so the database's
    one-live-consent rule holds."""
    if months not in CONSENT_MONTHS:
        raise ValidationError(_("Choose 3, 6 or 12 months."), code="consent_months")
    if getattr(actor, "centre_membership", None) is not None:
        raise ValidationError(_("Centre staff cannot give consent from a staff account."), code="consent_staff")
    now = timezone.now()
    for live in Consent.objects.select_for_update().filter(resident=actor, centre=centre, revoked_at__isnull=True):
        live.revoked_at = live.expires_at if live.expires_at and live.expires_at <= now else now
        live.save(update_fields=["revoked_at"])
    try:
        with transaction.atomic():
            return Consent.objects.create(
                resident=actor, centre=centre, granted_at=now, expires_at=_add_months(now, months)
            )
    except IntegrityError as error:  # a second grant raced this one
        raise ValidationError(_("Your consent was changed at the same time somewhere else. Please try again."),
                              code="consent_race") from error


@transaction.atomic
def consent_revoke(*, actor, consent_id: int) -> Consent:
    """The resident withdraws a consent. It takes effect immediately: every staff
    page and API checks for a live consent on each request."""
    consent = Consent.objects.select_for_update().filter(pk=consent_id, resident=actor).first()
    if consent is None:
        raise PermissionDenied
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
    return consent


# --- Access log ------------------------------------------------------------------


def access_log_record(*, staff, resident, what: str, why: str) -> AccessLogEntry:
    """Record that `staff` opened `resident`'s data. Other apps call this from every
    staff-facing view that shows a resident's data (with `what` one of
    models.AccessWhat, e.g. "appointments", and `why` the reason given when the
    case was opened: see selectors.case_reason). Refuses staff without consent."""
    centre = centre_of(staff)
    if centre is None or not staff_can_assist(staff, resident):
        raise PermissionDenied
    why = (why or "").strip()[:200]
    if not why:
        raise ValidationError(_("Say why you are opening this resident's data."), code="access_reason")
    return AccessLogEntry.objects.create(actor=staff, centre=centre, resident=resident, what=str(what)[:40], why=why)


# --- Case notes --------------------------------------------------------------------


def _require_assist(actor, resident) -> ServiceCentre:
    centre = centre_of(actor)
    if centre is None or not staff_can_assist(actor, resident):
        raise PermissionDenied
    return centre


@transaction.atomic
def case_note_add(*, actor, resident, body: str) -> CaseNote:
    centre = _require_assist(actor, resident)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write the note first."), code="note_empty")
    return CaseNote.objects.create(centre=centre, resident=resident, author=actor, body=body)


# --- Escorts --------------------------------------------------------------------


def _escort_context(escort: EscortRequest, language: str) -> dict:
    with translation.override(language):
        return {
            "escort_id": escort.pk,
            "hospital": escort.hospital.name,
            "centre": escort.centre.name,
            # Not "language": notification rendering sets that to the recipient's language.
            "escort_language": str(escort.get_language_display()),
            "visit_at": escort.visit_at.isoformat(),
            "appointment_reference": escort.appointment_reference,
        }


def _link(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@transaction.atomic
def escort_request_create(
    *, actor, resident, centre: ServiceCentre, language: str, hospital=None, visit_at: datetime | None = None,
    appointment_reference: str = "", notes: str = "", appointment=None,
) -> EscortRequest:
    """A resident (for themselves) or centre staff (for a consenting resident)
    asks the centre for a language escort. The resident is told either way.

    With `appointment` (one of the resident's upcoming portal appointments) the
    hospital, time and reference come from it; without, they are typed in (a visit
    not booked through the portal)."""
    if actor.pk == resident.pk:
        if not Consent.objects.active().filter(resident=resident, centre=centre).exists():
            raise ValidationError(_("First allow this centre to assist you, then ask it for an escort."),
                                  code="escort_no_consent")
    elif centre_of(actor) != centre or not staff_can_assist(actor, resident):
        raise PermissionDenied
    if appointment is not None:
        if appointment.resident_id != resident.pk:
            raise PermissionDenied
        if appointment.status != "booked" or appointment.starts_at <= timezone.now():
            raise ValidationError(_("Choose one of the upcoming appointments."), code="escort_appointment")
        if EscortRequest.objects.filter(appointment=appointment).exclude(status=EscortRequest.Status.CANCELLED).exists():
            raise ValidationError(_("An escort has already been requested for this appointment."),
                                  code="escort_duplicate")
        hospital = appointment.slot.department.hospital
        visit_at = appointment.starts_at
        appointment_reference = appointment.reference
    if hospital is None or visit_at is None:
        raise ValidationError(_("Choose an appointment, or give the hospital and the time of the visit."),
                              code="escort_visit")
    if visit_at <= timezone.now():
        raise ValidationError(_("Choose a visit date and time in the future."), code="escort_past")
    escort = EscortRequest.objects.create(
        resident=resident, centre=centre, language=language, hospital=hospital, visit_at=visit_at,
        appointment_reference=appointment_reference.strip(), notes=notes.strip(), requested_by=actor,
        appointment=appointment,
    )
    recipient_language = resident.language or settings.LANGUAGE_CODE
    notify(
        recipient=resident, event="centres_escort_requested",
        context={**_escort_context(escort, recipient_language), "on_behalf": actor.pk != resident.pk},
        link=_link("centres:my_escorts", recipient_language), group_key=f"escort:{escort.pk}",
    )
    return escort


@transaction.atomic
def escort_assign(*, actor, escort_id: int, staff_member) -> EscortRequest:
    """A centre's staff member assigns an escort (one of the centre's staff).
    The resident and the escort are both notified, each in their own language."""
    centre = centre_of(actor)
    escort = EscortRequest.objects.select_for_update().select_related("hospital", "centre", "resident").filter(
        pk=escort_id, centre=centre
    ).first() if centre else None
    if escort is None or not staff_can_assist(actor, escort.resident):
        raise PermissionDenied
    if escort.status == EscortRequest.Status.CANCELLED:
        raise ValidationError(_("This escort request was cancelled."), code="escort_cancelled")
    if not CentreMembership.objects.filter(user=staff_member, centre=centre).exists():
        raise ValidationError(_("Choose a member of your centre's staff."), code="escort_not_staff")
    escort.status = EscortRequest.Status.ASSIGNED
    escort.assigned_to = staff_member
    escort.assigned_by = actor
    escort.save(update_fields=["status", "assigned_to", "assigned_by", "updated_at"])
    resident_language = escort.resident.language or settings.LANGUAGE_CODE
    staff_language = staff_member.language or settings.LANGUAGE_CODE
    notify(
        recipient=escort.resident, event="centres_escort_assigned",
        context={**_escort_context(escort, resident_language), "escort_name": staff_member.display_name},
        link=_link("centres:my_escorts", resident_language), group_key=f"escort:{escort.pk}",
    )
    notify(
        recipient=staff_member, event="centres_escort_assignment",
        context={**_escort_context(escort, staff_language), "resident_name": escort.resident.display_name},
        link=_link("centres:escorts", staff_language), group_key=f"escort:{escort.pk}",
    )
    return escort


@transaction.atomic
def escort_cancel(*, actor, escort_id: int) -> EscortRequest:
    """The resident (or the centre's staff) cancels an escort request."""
    escort = EscortRequest.objects.select_for_update().select_related("resident").filter(pk=escort_id).first()
    if escort is None:
        raise PermissionDenied
    is_owner = escort.resident_id == actor.pk
    if not is_owner and (centre_of(actor) != escort.centre or not staff_can_assist(actor, escort.resident)):
        raise PermissionDenied
    if escort.status != EscortRequest.Status.CANCELLED:
        escort.status = EscortRequest.Status.CANCELLED
        escort.save(update_fields=["status", "updated_at"])
    return escort


def escorts_cancel_for_appointment(*, actor, appointment) -> list[EscortRequest]:
    """The appointment was cancelled (by anyone: the resident, centre staff, the
    hospital): its open escort requests are cancelled too, and each assigned escort
    is told in their language. Called by the appointments app inside the
    transaction that cancels the appointment, so both happen or neither."""
    escorts = list(
        EscortRequest.objects.select_for_update(of=("self",))
        .select_related("hospital", "centre", "resident__profile", "assigned_to")
        .filter(appointment_id=appointment.pk)
        .exclude(status=EscortRequest.Status.CANCELLED)
    )
    for escort in escorts:
        escort.status = EscortRequest.Status.CANCELLED
        escort.save(update_fields=["status", "updated_at"])
        if escort.assigned_to is not None:
            staff_language = escort.assigned_to.language or settings.LANGUAGE_CODE
            notify(
                recipient=escort.assigned_to, event="centres_escort_cancelled",
                context={**_escort_context(escort, staff_language), "resident_name": escort.resident.display_name},
                link=_link("centres:escorts", staff_language), group_key=f"escort:{escort.pk}",
            )
    return escorts


def escorts_follow_appointment(*, actor, appointment) -> list[EscortRequest]:
    """The appointment moved to another time: its open escort requests move with
    it, and each assigned escort is told the new time in their language. Called by
    the appointments app inside the transaction that reschedules the appointment."""
    escorts = list(
        EscortRequest.objects.select_for_update(of=("self",))
        .select_related("hospital", "centre", "resident__profile", "assigned_to")
        .filter(appointment_id=appointment.pk)
        .exclude(status=EscortRequest.Status.CANCELLED)
    )
    for escort in escorts:
        escort.visit_at = appointment.starts_at
        escort.save(update_fields=["visit_at", "updated_at"])
        if escort.assigned_to is not None:
            staff_language = escort.assigned_to.language or settings.LANGUAGE_CODE
            notify(
                recipient=escort.assigned_to, event="centres_escort_moved",
                context={**_escort_context(escort, staff_language), "resident_name": escort.resident.display_name},
                link=_link("centres:escorts", staff_language), group_key=f"escort:{escort.pk}",
            )
    return escorts


# --- Insurance claims ----------------------------------------------------------------

S = InsuranceClaim.Status

CLAIM_WORKFLOW = Workflow(
    states=S,
    field="status",
    moves=[
        Move(S.PREPARED, S.SUBMITTED, CLAIM_HANDLER, S.SUBMITTED.label),
        Move(S.SUBMITTED, S.PAID, CLAIM_HANDLER, S.PAID.label),
        Move(S.SUBMITTED, S.REJECTED, CLAIM_HANDLER, S.REJECTED.label),
    ],
    refused=gettext_lazy("A claim that is “%(current)s” cannot become “%(target)s”."),
    changed=gettext_lazy("This claim was changed by someone else in the meantime; it is now “%(current)s”."),
    role_refusals={CLAIM_HANDLER: gettext_lazy("Only the claim's centre staff may change it.")},
)


@transaction.atomic
def claim_create(
    *, actor, resident, visit_date: date, hospital, insurer: str, policy_number: str, amount: Decimal, currency: str,
) -> InsuranceClaim:
    centre = _require_assist(actor, resident)
    if visit_date > timezone.localdate():
        raise ValidationError(_("The visit date cannot be in the future."), code="claim_future")
    claim = InsuranceClaim.objects.create(
        resident=resident, centre=centre, visit_date=visit_date, hospital=hospital, insurer=insurer.strip(),
        policy_number=policy_number.strip().upper(), amount=amount, currency=currency, created_by=actor,
    )
    ClaimEvent.objects.create(claim=claim, from_status="", to_status=claim.status, actor=actor)
    return claim


def _record_claim_event(*, instance: InsuranceClaim, move: Move, actor, note: str) -> None:
    ClaimEvent.objects.create(claim=instance, from_status=move.source, to_status=move.target, actor=actor,
                              note=note[:300])


@transaction.atomic
def claim_move(*, actor, claim_id: int, to_status: str, note: str = "") -> InsuranceClaim:
    """Move a claim to `to_status` if the table allows it from its current status."""
    claim = InsuranceClaim.objects.select_related("resident").filter(pk=claim_id).first()
    roles = claim_roles(actor, claim) if claim is not None else set()
    if not roles:
        raise PermissionDenied
    CLAIM_WORKFLOW.move(claim, target=to_status, actor=actor, roles=roles, note=note, record=_record_claim_event)
    return claim


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_FOLDER = "centres-claims"


def document_path(document: ClaimDocument) -> Path:
    return private_files.private_path(DOCUMENT_FOLDER, document.stored_name)


def claim_may_handle(user, claim: InsuranceClaim) -> bool:
    """The resident themselves, or the claim's centre staff with live consent."""
    if claim.resident_id == user.pk:
        return True
    return centre_of(user) == claim.centre and staff_can_assist(user, claim.resident)


@transaction.atomic
def claim_document_add(*, actor, claim_id: int, upload) -> ClaimDocument:
    """Store an uploaded file for a claim being prepared. The file is checked by its
    magic bytes and size, written under PRIVATE_MEDIA_ROOT with a random name, and
    removed again if the transaction does not commit."""
    claim = InsuranceClaim.objects.select_for_update().select_related("centre").filter(pk=claim_id).first()
    if claim is None or not claim_may_handle(actor, claim):
        raise PermissionDenied
    if claim.status != S.PREPARED:
        raise ValidationError(_("Documents can be added only while the claim is being prepared."), code="claim_locked")
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="document_size")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="document_empty")
    kind = private_files.sniff_upload(upload)
    if kind is None:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."), code="document_type")
    stored_name, path = private_files.write_private(upload, folder=DOCUMENT_FOLDER, kind=kind)
    try:
        return ClaimDocument.objects.create(
            claim=claim, stored_name=stored_name, original_name=Path(upload.name or "document").name[:200],
            content_type=kind.content_type, size=upload.size, uploaded_by=actor,
        )
    except BaseException:
        # Nothing half-written: no row, so no file either.
        path.unlink(missing_ok=True)
        raise
