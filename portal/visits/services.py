"""Writes about visits: the resident's usual crossing."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core import private_files

from .models import HealthSummary, VisitDocument, VisitPreferences


@transaction.atomic
def usual_crossing_set(*, actor, resident, border_point) -> VisitPreferences:
    """The resident chooses the crossing they usually use (or None). A preference
    is the resident's own: no one else sets it."""
    if actor != resident:
        raise PermissionDenied(_("Only the resident can choose their usual crossing."))
    preferences, _created = VisitPreferences.objects.update_or_create(
        resident=resident, defaults={"usual_crossing": border_point})
    return preferences


SUMMARY_FIELDS = ("other_medicines", "allergies", "conditions", "emergency_contact_name", "emergency_contact_phone",
                  "show_medicines", "show_allergies", "show_conditions", "show_emergency_contact")


@transaction.atomic
def health_summary_save(*, actor, resident, connect_items, **values) -> HealthSummary:
    """Write the resident's health summary: by the resident, or by a caregiver with
    the health summary right (checked again here, in the database: portal.care's
    one rule), whose change is recorded with their relationship."""
    from portal.care.doors import acting_for
    from portal.care.models import Right

    acting = acting_for(actor, resident, Right.HEALTH_SUMMARY, allow_staff=False)
    if acting is None:
        raise PermissionDenied(_("You may not keep this person's health summary."))
    unknown = set(values) - set(SUMMARY_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    summary, _created = HealthSummary.objects.update_or_create(
        resident=resident, defaults={**values, "updated_by": actor, "updated_via": acting.care_link})
    summary.connect_items.set(connect_items)
    return summary


# --- Documents from visits ----------------------------------------------------------------

DOCUMENT_FOLDER = "visits"
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class DocumentError(ValidationError):
    """A refused upload or share: the message is translated and safe to show."""


def document_path(document: VisitDocument) -> Path:
    return private_files.private_path(DOCUMENT_FOLDER, document.stored_name)


def visit_document_add(*, actor, appointment, kind: str, upload) -> VisitDocument:
    """Store a document from a visit: by the resident, or a caregiver with the
    health summary right. Size and type are checked (PDF, JPEG, PNG by their first
    bytes); the file is removed again if its row is not written."""
    from portal.care.doors import acting_for
    from portal.care.models import Right

    resident = appointment.resident
    acting = acting_for(actor, resident, Right.HEALTH_SUMMARY, allow_staff=False)
    if acting is None:
        raise PermissionDenied(_("You may not add documents to this visit."))
    if appointment.status == appointment.Status.CANCELLED:
        raise DocumentError(_("This appointment was cancelled; documents cannot be added to it."))
    if kind not in VisitDocument.Kind.values:
        raise DocumentError(_("Choose what kind of document this is."))
    if upload.size > DOCUMENT_MAX_BYTES:
        raise DocumentError(_("The file is too large: the limit is %(size)s MB.")
                            % {"size": DOCUMENT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise DocumentError(_("The file is empty."))
    file_kind = private_files.sniff_upload(upload)
    if file_kind is None:
        raise DocumentError(_("Only PDF, JPEG and PNG files are accepted."))
    stored_name, path = private_files.write_private(upload, folder=DOCUMENT_FOLDER, kind=file_kind)
    try:
        with transaction.atomic():
            return VisitDocument.objects.create(
                appointment=appointment, resident=resident, kind=kind, uploaded_by=actor,
                uploaded_via=acting.care_link, original_name=Path(upload.name or "document").name[:200],
                stored_name=stored_name, content_type=file_kind.content_type, size=upload.size)
    except Exception:
        path.unlink(missing_ok=True)
        raise


def centres_to_share_with(resident):
    """The service centres the resident consents to now: the only ones a document
    can be shared with."""
    from portal.centres.models import Consent, ServiceCentre

    return ServiceCentre.objects.filter(
        id__in=Consent.objects.active().filter(resident=resident).values("centre_id")).order_by("slug")


@transaction.atomic
def visit_document_share(*, actor, document: VisitDocument, centre) -> VisitDocument:
    """The resident shares the document with a centre they consent to (or stops
    sharing it: `centre` None). The consent is the resident's own: a caregiver
    cannot give it (decision 0061)."""
    from django.utils import timezone

    if actor.pk != document.resident_id:
        raise PermissionDenied(_("Only the resident can share their documents."))
    if centre is not None and not centres_to_share_with(document.resident).filter(pk=centre.pk).exists():
        raise DocumentError(_("You can share a document only with a service centre you have given your consent to."))
    document.shared_with = centre
    document.shared_at = timezone.now() if centre is not None else None
    document.save(update_fields=["shared_with", "shared_at"])
    return document


def visit_document_attach(*, actor, document: VisitDocument, transfer):
    """The resident attaches the document to one of their transfers: a copy goes
    through the transfer's own service (its rules, limits and parties)."""
    from django.core.files import File

    from portal.transfers import services as transfers

    if actor.pk != document.resident_id:
        raise PermissionDenied(_("Only the resident can share their documents."))
    path = document_path(document)
    if not path.is_file():
        raise DocumentError(_("The file of this document is missing."))
    with open(path, "rb") as handle:
        upload = File(handle, name=document.original_name)
        return transfers.attachment_add(actor=actor, transfer=transfer, upload=upload)


def document_read_record(*, actor, document: VisitDocument, why: str = "") -> None:
    """Write a read of `document` by someone other than its resident into the
    resident's access log (decision 0064): a caregiver with the health summary
    right, or staff of the centre it is shared with, with the reason they gave
    when they opened the case (`why`; without one, PermissionDenied: the door asks
    for it). The resident's own reads are not logged. Page and API call this."""
    from portal.care.models import Right
    from portal.care.selectors import link_for
    from portal.care.services import access_log_record as care_access_log_record
    from portal.centres.services import access_log_record

    if actor.pk == document.resident_id:
        return
    link = link_for(actor, document.resident, Right.HEALTH_SUMMARY)
    if link is not None:
        care_access_log_record(link=link, what="visit_document")
        return
    if not why:
        raise PermissionDenied(_("Open the resident's case and say why before opening their documents."))
    access_log_record(staff=actor, resident=document.resident, what="visit_document", why=why)
