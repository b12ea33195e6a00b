"""Every write about care relationships. Each function takes the acting user,
checks that they may act, writes in one transaction with a CareEvent row, and
tells the other party in their own language.

Who may do what with a link:
- the elder: invite, answer a caregiver's request, change the rights and the end
  date, end the relationship;
- the caregiver: ask, accept or decline an invitation, end the relationship;
- centre staff, for a resident who consents to their centre: record a
  relationship on the resident's signed paper consent (the caregiver still
  accepts through the invitation, and the resident is told and can end it).
"""

import logging
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core import private_files
from portal.notifications.services import copies_cancel, language_of, notify

from . import selectors
from .models import RIGHTS_OFFERED, CareEvent, CareLink, PaperConsent, Relationship, Right

logger = logging.getLogger(__name__)

PAPER_CONSENT_FOLDER = "care-consents"
PAPER_CONSENT_MAX_BYTES = 10 * 1024 * 1024

# What a care link's own messages are (never copied to caregivers).
EVENTS = ("care_request_received", "care_request_answered", "care_link_accepted", "care_link_changed",
          "care_link_ended", "care_link_recorded")


class CareError(ValidationError):
    """A refused request: the message is translated and safe to show."""


# --- helpers -------------------------------------------------------------------------------


def _clean_rights(rights) -> dict[str, bool]:
    chosen = {str(right) for right in rights or ()}
    unknown = chosen - {right.value for right in RIGHTS_OFFERED}
    if unknown:
        raise CareError(_("Choose what the caregiver may do from the list."), code="care_rights_unknown")
    if not chosen:
        raise CareError(_("Choose at least one thing the caregiver may do."), code="care_rights_empty")
    return {right.value: right.value in chosen for right in RIGHTS_OFFERED}


def _clean_end_date(end_date: date | None) -> date | None:
    if end_date is not None and end_date < timezone.localdate():
        raise CareError(_("The last day cannot be in the past."), code="care_end_date")
    return end_date


def _clean_relationship(relationship: str) -> str:
    if relationship not in Relationship.values:
        raise CareError(_("Choose the relationship from the list."), code="care_relationship")
    return relationship


def _event(link: CareLink, action: str, *, actor) -> None:
    CareEvent.objects.create(link=link, action=action, actor=actor, rights=link.rights, end_date=link.end_date)


def _care_url(person) -> str:
    with translation.override(language_of(person)):
        return reverse("care:index")


def _context(link: CareLink) -> dict:
    """What a care message needs, JSON-serialisable; names as the pages show them."""
    return {
        "link_id": link.pk,
        "elder_name": link.elder.display_name if link.elder_id else "",
        "caregiver_name": link.caregiver.display_name if link.caregiver_id else "",
        "relationship": link.relationship,
        "rights": link.rights,
        "end_date": link.end_date.isoformat() if link.end_date else "",
        "centre": link.centre.name if link.centre_id else "",
    }


def _tell(person, event: str, link: CareLink) -> None:
    notify(recipient=person, event=event, context=_context(link), link=_care_url(person),
           group_key=f"care:{link.pk}", copies=False)


def _send_invitation(link: CareLink) -> None:
    transaction.on_commit(lambda: _queue_invitation(link.pk))


def _queue_invitation(link_id: int) -> None:
    from .tasks import invitation_send

    try:
        invitation_send.delay(link_id)
    except Exception:  # noqa: BLE001 (broker unreachable: send it from here instead)
        logger.warning("Could not queue care invitation %s; sending it now", link_id, exc_info=True)
        care_invitation_deliver(link_id=link_id)


def _lock(link_id) -> CareLink | None:
    return (CareLink.objects.select_for_update(of=("self",)).select_related("elder__profile", "caregiver__profile")
            .filter(pk=link_id).first())


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# --- The elder invites ----------------------------------------------------------------------


@transaction.atomic
def care_link_invite(*, actor, email: str = "", phone: str = "", relationship: str, rights, language: str,
                     end_date: date | None = None) -> CareLink:
    """The elder `actor` invites someone, by e-mail or phone, to care for them with
    `rights`. A link with a signed token goes to the address; whoever signs in (or
    signs up) with it and accepts becomes the caregiver. The answer is the same
    whether or not the address belongs to an account."""
    email, phone = _normalise_email(email), (phone or "").strip()
    if bool(email) == bool(phone):
        raise CareError(_("Give either an e-mail address or a phone number."), code="care_address")
    if email and email == _normalise_email(actor.email):
        raise CareError(_("You cannot invite yourself."), code="care_self")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    link = CareLink.objects.create(
        elder=actor, relationship=_clean_relationship(relationship), status=CareLink.Status.INVITED,
        end_date=_clean_end_date(end_date), invite_email=email, invite_phone=phone, invite_language=language,
        created_by=actor, **_clean_rights(rights),
    )
    _event(link, CareEvent.Action.INVITED, actor=actor)
    _send_invitation(link)
    return link


@transaction.atomic
def care_link_record(*, actor, elder, email: str = "", phone: str = "", relationship: str, rights, language: str,
                     upload, end_date: date | None = None) -> CareLink:
    """Centre staff record a relationship for `elder`, a resident who consents to
    their centre and cannot use the portal, on the elder's signed paper consent
    (`upload`: PDF, JPEG or PNG, stored privately). The caregiver is invited as by
    the elder; the elder is told in their language and can end it."""
    from portal.centres.selectors import centre_of, staff_can_assist

    centre = centre_of(actor)
    if centre is None or not staff_can_assist(actor, elder):
        raise PermissionDenied
    if upload is None:
        raise CareError(_("Upload the signed consent form."), code="care_paper_missing")
    if upload.size > PAPER_CONSENT_MAX_BYTES:
        raise CareError(_("The file is larger than 10 MB."), code="care_paper_size")
    if upload.size == 0:
        raise CareError(_("The file is empty."), code="care_paper_empty")
    kind = private_files.sniff_upload(upload)
    if kind is None:
        raise CareError(_("Upload a PDF, JPEG or PNG file."), code="care_paper_type")
    email, phone = _normalise_email(email), (phone or "").strip()
    if bool(email) == bool(phone):
        raise CareError(_("Give either an e-mail address or a phone number."), code="care_address")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    link = CareLink.objects.create(
        elder=elder, relationship=_clean_relationship(relationship), status=CareLink.Status.INVITED,
        end_date=_clean_end_date(end_date), invite_email=email, invite_phone=phone, invite_language=language,
        centre=centre, created_by=actor, **_clean_rights(rights),
    )
    stored_name, path = private_files.write_private(upload, folder=PAPER_CONSENT_FOLDER, kind=kind)
    try:
        PaperConsent.objects.create(link=link, stored_name=stored_name,
                                    original_name=Path(upload.name or "consent").name[:200],
                                    content_type=kind.content_type, size=upload.size, uploaded_by=actor)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _event(link, CareEvent.Action.RECORDED, actor=actor)
    _tell(elder, "care_link_recorded", link)
    _send_invitation(link)
    return link


def paper_consent_path(consent: PaperConsent) -> Path:
    return private_files.private_path(PAPER_CONSENT_FOLDER, consent.stored_name)


@transaction.atomic
def care_link_accept_invitation(*, actor, token: str) -> CareLink:
    """The person who received an invitation accepts it while signed in: they
    become the caregiver, and the elder is told."""
    found = selectors.invitation_for(token)
    link = _lock(found.pk) if found is not None else None
    if link is None or link.status != CareLink.Status.INVITED:
        raise CareError(_("This invitation is no longer valid. Ask for a new one."), code="care_invitation_invalid")
    if link.elder_id == actor.pk:
        raise CareError(_("You cannot accept your own invitation."), code="care_self")
    link.caregiver = actor
    link.status = CareLink.Status.ACTIVE
    link.accepted_at = timezone.now()
    try:
        with transaction.atomic():
            link.save(update_fields=["caregiver", "status", "accepted_at"])
    except IntegrityError as error:
        raise CareError(_("You already care for this person. They can change what you may do."),
                        code="care_duplicate") from error
    _event(link, CareEvent.Action.ACCEPTED, actor=actor)
    _tell(link.elder, "care_link_accepted", link)
    return link


@transaction.atomic
def care_link_decline_invitation(*, actor, token: str) -> CareLink:
    found = selectors.invitation_for(token)
    link = _lock(found.pk) if found is not None else None
    if link is None or link.status != CareLink.Status.INVITED or link.elder_id == actor.pk:
        raise CareError(_("This invitation is no longer valid. Ask for a new one."), code="care_invitation_invalid")
    link.status = CareLink.Status.DECLINED
    link.ended_at, link.ended_by = timezone.now(), actor
    link.save(update_fields=["status", "ended_at", "ended_by"])
    _event(link, CareEvent.Action.DECLINED, actor=actor)
    return link


# --- The caregiver asks ---------------------------------------------------------------------


@transaction.atomic
def care_link_request(*, actor, email: str, relationship: str) -> CareLink:
    """`actor` asks the holder of `email` to let them be their caregiver. If the
    address belongs to an active account, its holder is asked (and chooses the
    rights); if not, nothing is sent. Either way the request is kept and the
    answer is the same, so it never tells whether the address has an account."""
    email = _normalise_email(email)
    if not email:
        raise CareError(_("Enter the e-mail address of the person you want to care for."), code="care_address")
    if email == _normalise_email(actor.email):
        raise CareError(_("You cannot ask to care for yourself."), code="care_self")
    relationship = _clean_relationship(relationship)
    elder = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    pending = CareLink.objects.filter(caregiver=actor, status=CareLink.Status.REQUESTED, invite_email=email,
                                      transfer__isnull=True).first()
    if pending is not None:  # asked already: the same answer, nothing sent twice
        return pending
    already = elder is not None and CareLink.objects.live().filter(
        elder=elder, caregiver=actor, transfer__isnull=True).exists()
    link = CareLink(caregiver=actor, elder=None if already else elder, relationship=relationship,
                    status=CareLink.Status.REQUESTED, invite_email=email,
                    invite_language=language_of(actor), created_by=actor)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:  # the same request sent twice at once: the first one stands
        return CareLink.objects.get(caregiver=actor, elder=elder, status=CareLink.Status.REQUESTED,
                                    transfer__isnull=True)
    _event(link, CareEvent.Action.REQUESTED, actor=actor)
    if link.elder_id is not None:
        _tell(elder, "care_request_received", link)
    return link


@transaction.atomic
def care_link_answer_request(*, actor, link_id: int, accept: bool, rights=(),
                             end_date: date | None = None) -> CareLink:
    """The elder accepts (choosing the rights) or declines a caregiver's request."""
    link = _lock(link_id)
    if link is None or link.elder_id != actor.pk:
        raise PermissionDenied
    if link.status != CareLink.Status.REQUESTED:
        raise CareError(_("This request has already been answered."), code="care_answered")
    now = timezone.now()
    if accept:
        for right, granted in _clean_rights(rights).items():
            setattr(link, right, granted)
        link.end_date = _clean_end_date(end_date)
        link.status, link.accepted_at = CareLink.Status.ACTIVE, now
        fields = ["status", "accepted_at", "end_date", *[right.value for right in RIGHTS_OFFERED]]
    else:
        link.status, link.ended_at, link.ended_by = CareLink.Status.DECLINED, now, actor
        fields = ["status", "ended_at", "ended_by"]
    link.save(update_fields=fields)
    _event(link, CareEvent.Action.ACCEPTED if accept else CareEvent.Action.DECLINED, actor=actor)
    _tell(link.caregiver, "care_request_answered", link)
    return link


# --- Changes and the end ------------------------------------------------------------------------


@transaction.atomic
def care_link_change(*, actor, link_id: int, rights, end_date: date | None = None) -> CareLink:
    """The elder changes what a caregiver may do, or until when. Copies of
    messages not yet sent stop at once if the "messages" right goes."""
    link = _lock(link_id)
    if link is None or link.elder_id != actor.pk:
        raise PermissionDenied
    if link.status not in (CareLink.Status.ACTIVE, CareLink.Status.INVITED):
        raise CareError(_("This relationship has ended; invite the person again."), code="care_ended")
    cleaned = _clean_rights(rights)
    if link.transfer_id is not None:  # limited to one transfer: following it is all it can do
        cleaned = {right: granted and right in (Right.TRANSFERS, Right.MESSAGES) for right, granted in cleaned.items()}
    for right, granted in cleaned.items():
        setattr(link, right, granted)
    link.end_date = _clean_end_date(end_date)
    link.save(update_fields=["end_date", *cleaned])
    _event(link, CareEvent.Action.CHANGED, actor=actor)
    if not link.messages:
        copies_cancel(care_link=link)
    if link.caregiver_id is not None:
        _tell(link.caregiver, "care_link_changed", link)
    return link


@transaction.atomic
def care_link_revoke(*, actor, link_id: int) -> CareLink:
    """The elder ends a relationship (or withdraws an invitation), or the caregiver
    stops caring. From the next request on, every door refuses, and copies of
    messages not yet sent are not sent."""
    link = _lock(link_id)
    if link is None or actor.pk not in (link.elder_id, link.caregiver_id):
        raise PermissionDenied
    if link.status in (CareLink.Status.REVOKED, CareLink.Status.DECLINED):
        return link
    link.status, link.ended_at, link.ended_by = CareLink.Status.REVOKED, timezone.now(), actor
    link.save(update_fields=["status", "ended_at", "ended_by"])
    _event(link, CareEvent.Action.REVOKED, actor=actor)
    copies_cancel(care_link=link)
    other = link.caregiver if actor.pk == link.elder_id else link.elder
    if other is not None and link.accepted_at is not None:
        _tell(other, "care_link_ended", link)
    return link


# --- The access log -----------------------------------------------------------------------------


def access_log_record(*, link: CareLink, what: str):
    """Record in the elder's access log that their caregiver opened `what` (one of
    centres.models.AccessWhat) through `link`. The one access log also holds the
    centre staff's reads (portal.centres.services.access_log_record)."""
    from portal.centres.models import AccessLogEntry, AccessReason

    if not link.is_live:
        raise PermissionDenied
    return AccessLogEntry.objects.create(actor_id=link.caregiver_id, care_link=link, resident_id=link.elder_id,
                                         what=str(what)[:40], why=AccessReason.CAREGIVER)


# --- The invitation message -------------------------------------------------------------------


def care_invitation_deliver(*, link_id: int) -> bool:
    """Send the invitation of an open link to the address it names, in the
    language the inviter chose, with the signed token link (the task queued on
    commit; nothing but the link's id goes through the broker). Not an account's
    message, so not in any inbox: the address may have no account. Returns
    whether it was sent (False: answered or withdrawn in the meantime)."""
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    from portal.notifications.backends import get_message_backend

    link = CareLink.objects.select_related("elder__profile", "centre").filter(
        pk=link_id, status=CareLink.Status.INVITED).first()
    if link is None:
        return False
    with translation.override(link.invite_language):
        path = reverse("care:invitation", args=[selectors.invitation_token(link)])
        context = {"elder_name": link.elder.display_name, "relationship": link.get_relationship_display(),
                   "rights": link.rights_labels, "centre": link.centre.name if link.centre_id else "",
                   "url": settings.SITE_URL.rstrip("/") + path, "days": selectors.INVITATION_DAYS}
        subject = " ".join(render_to_string("care/invitation/subject.txt", context).split())
        body = render_to_string("care/invitation/body.txt", context).strip()
    if link.invite_email:
        EmailMessage(subject=subject, body=body, to=[link.invite_email],
                     headers={"X-Portal-Delivery": f"care-invitation-{link.pk}"}).send()
    else:
        get_message_backend("sms").send(link.invite_phone, f"{subject}\n{body}", key=f"care-invitation-{link.pk}")
    return True
