"""Reads about transfers. Every page and API endpoint fetches transfers through
`transfers_visible_to` / `transfer_for`, so a user only ever sees transfers that
involve them; anything else is a 404."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from portal.care import selectors as care
from portal.care.models import Right
from portal.centres.selectors import centre_of, residents_assisted_by, staff_can_assist
from portal.hospitals.models import HospitalMembership
from portal.hospitals.selectors import hospital_ids_managed_by

from .models import Route, TransferEvent, TransferRequest
from .workflow import Role


def may_request_transfer_for(actor, person) -> bool:
    """Who may request a transfer for whom: a person for themself, centre staff for
    a resident who consents to their centre, and a caregiver with the right to
    request transfers for the person (portal.care.doors.acting_for, the one rule)."""
    from portal.care.doors import acting_for

    return acting_for(actor, person, Right.TRANSFERS) is not None


def account_named_as_patient(email: str):
    """The active account using this e-mail address, or None. Only for the filing
    service, which refuses an account the actor may not request for with the same
    answer as an unknown address: nothing about the account is shown to the actor."""
    from django.contrib.auth import get_user_model

    email = (email or "").strip()
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email, is_active=True).select_related("profile").first()


def routes_all() -> QuerySet[Route]:
    """Every route with its status; which can be requested is services.route_refusal's to say."""
    return Route.objects.select_related("sending_hospital", "receiving_hospital", "border_point")


def _with_related(queryset: QuerySet[TransferRequest]) -> QuerySet[TransferRequest]:
    return queryset.select_related(
        "sending_hospital", "receiving_hospital", "border_point", "requester", "requester__profile", "route"
    )


def transfers_visible_to(user) -> QuerySet[TransferRequest]:
    """Transfers a user is a party to: requester, patient, admin of the sending or
    receiving hospital, centre staff of a centre the requester or patient
    currently consents to, or a caregiver with the right to request and follow
    the requester's or patient's transfers (or limited to this one transfer:
    portal.care, the one rule)."""
    if not user.is_authenticated:
        return TransferRequest.objects.none()
    if user.is_superuser:
        return _with_related(TransferRequest.objects.all())
    cared_for = care.elders_of(user, Right.TRANSFERS).values("id")
    scope = (Q(requester=user) | Q(patient_user=user) | Q(requester__in=cared_for) | Q(patient_user__in=cared_for)
             | Q(id__in=care.transfers_followed(user).values("transfer_id")))
    hospital_ids = hospital_ids_managed_by(user)
    if hospital_ids:
        scope |= Q(sending_hospital_id__in=hospital_ids) | Q(receiving_hospital_id__in=hospital_ids)
    if centre_of(user) is not None:
        residents = residents_assisted_by(user).values("id")
        scope |= Q(requester__in=residents) | Q(patient_user__in=residents)
    ids = TransferRequest.objects.filter(scope).values("id")
    return _with_related(TransferRequest.objects.filter(id__in=ids))


def transfers_for_hospital_admin(user) -> QuerySet[TransferRequest]:
    hospital_ids = hospital_ids_managed_by(user)
    return _with_related(
        TransferRequest.objects.filter(Q(sending_hospital_id__in=hospital_ids) | Q(receiving_hospital_id__in=hospital_ids))
    )


def transfer_for(user, transfer_id) -> TransferRequest:
    """One transfer the user may see, or 404."""
    transfer = (
        transfers_visible_to(user)
        .prefetch_related(
            Prefetch("events", queryset=TransferEvent.objects.select_related("actor", "actor__profile",
                                                                             "care_link")),
            "escorts", "attachments",
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


def requester_as(user, transfer: TransferRequest) -> str:
    """How `user` holds the requester's role on a transfer: "self" (the requester,
    the patient, a superuser), "centre" (staff of a centre the requester or patient
    consents to), "caregiver" (with the right to request and follow their
    transfers), or "" (not at all; a caregiver limited to this one transfer only
    follows it)."""
    if not user.is_authenticated:
        return ""
    if user.id in (transfer.requester_id, transfer.patient_user_id) or user.is_superuser:
        return "self"
    if staff_can_assist(user, transfer.requester) or (
        transfer.patient_user_id and staff_can_assist(user, transfer.patient_user)
    ):
        return "centre"
    if care_link_of(user, transfer, scoped=False) is not None:
        return "caregiver"
    return ""


def care_link_of(user, transfer: TransferRequest, *, scoped: bool = True):
    """The live care link through which `user` follows this transfer (the
    requester's or the patient's caregiver with the transfers right; with
    `scoped`, also a link limited to this transfer), or None."""
    scope = transfer if scoped else None
    for person in (transfer.requester, transfer.patient_user):
        if person is not None:
            link = care.link_for(user, person, Right.TRANSFERS, transfer=scope)
            if link is not None:
                return link
    return None


def roles_of(user, transfer: TransferRequest) -> set[str]:
    """The workflow roles a user holds on one transfer (empty for a caregiver
    limited to this one transfer, and for strangers)."""
    if not user.is_authenticated:
        return set()
    roles: set[str] = set()
    if requester_as(user, transfer):
        roles.add(Role.REQUESTER)
    managed = set(hospital_ids_managed_by(user))
    if transfer.sending_hospital_id in managed:
        roles.add(Role.SENDING)
    if transfer.receiving_hospital_id in managed:
        roles.add(Role.RECEIVING)
    return roles


def assisted_party(user, transfer: TransferRequest):
    """When `user` sees this transfer only as centre staff (not as its requester,
    patient, a hospital admin or a superuser): the consenting resident it is about,
    whose access log records the read. None otherwise."""
    if not user.is_authenticated or user.is_superuser or centre_of(user) is None:
        return None
    if user.id in (transfer.requester_id, transfer.patient_user_id):
        return None
    managed = set(hospital_ids_managed_by(user))
    if managed & {transfer.sending_hospital_id, transfer.receiving_hospital_id}:
        return None
    if staff_can_assist(user, transfer.requester):
        return transfer.requester
    if transfer.patient_user_id and staff_can_assist(user, transfer.patient_user):
        return transfer.patient_user
    return None


def caregiver_reading(user, transfer: TransferRequest):
    """When `user` sees this transfer only as a caregiver (not as a party of their
    own): the care link, whose elder's access log records the read. None otherwise."""
    if not user.is_authenticated or user.is_superuser or user.id in (transfer.requester_id, transfer.patient_user_id):
        return None
    if set(hospital_ids_managed_by(user)) & {transfer.sending_hospital_id, transfer.receiving_hospital_id}:
        return None
    if assisted_party(user, transfer) is not None:
        return None
    return care_link_of(user, transfer)


def can_see_details(user, transfer: TransferRequest) -> bool:
    """Clinical details and attachments: every party except a caregiver limited to
    following this one transfer (it sees the timeline)."""
    return bool(roles_of(user, transfer))


def parties_of(transfer: TransferRequest) -> list:
    """Everyone told about a move: requester, patient (if a resident), and the
    admins of both hospitals. Each person once. (Caregivers get copies of the
    requester's and patient's messages: portal.notifications.services.notify.)"""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = {transfer.requester_id}
    if transfer.patient_user_id:
        ids.add(transfer.patient_user_id)
    ids.update(
        HospitalMembership.objects.filter(
            hospital_id__in=[transfer.sending_hospital_id, transfer.receiving_hospital_id]
        ).values_list("user_id", flat=True)
    )
    return list(User.objects.filter(id__in=ids, is_active=True).select_related("profile").order_by("id"))


def transfers_of_resident(resident, limit: int = 20) -> list[TransferRequest]:
    """A resident's own transfers (as requester or patient), newest first, one
    query: for the service-centre case view, which has already checked consent."""
    return list(
        _with_related(TransferRequest.objects.filter(Q(requester=resident) | Q(patient_user=resident)))
        .order_by("-created_at", "-id")[:limit]
    )
