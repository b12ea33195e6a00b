"""Reads about care relationships, and the one rule every door asks:
`caregiver_may(caregiver, elder, right)`.

Pages, API views, services and the notification sender all come here. Each
call reads the database (no per-process copy), so a revocation, a change of
rights or an end date takes effect on the next request in every process.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

from .models import CareLink, Right

INVITATION_SALT = "portal.care.invitation"
INVITATION_DAYS = 14


# --- The rule -------------------------------------------------------------------------


def links_granting(right: str, *, transfer=None) -> QuerySet[CareLink]:
    """Live links (accepted, not ended, not past their last day) that grant
    `right`. A link limited to one transfer counts only when asked about that
    transfer (`transfer`, an instance or id)."""
    scope = Q(transfer__isnull=True)
    if transfer is not None:
        scope |= Q(transfer=transfer)
    return CareLink.objects.live().filter(scope, **{Right(right).value: True})


def link_for(caregiver, elder, right: str, *, transfer=None) -> CareLink | None:
    """The live link through which `caregiver` may do `right` for `elder`, or None."""
    if caregiver is None or elder is None or not getattr(caregiver, "is_authenticated", False):
        return None
    if caregiver.pk == elder.pk:
        return None
    return (links_granting(right, transfer=transfer).filter(caregiver=caregiver, elder=elder)
            .order_by("transfer_id").first())  # the general link before a transfer's


def caregiver_may(caregiver, elder, right: str, *, transfer=None) -> bool:
    """May `caregiver` do `right` for `elder` now? One query, every time."""
    return link_for(caregiver, elder, right, transfer=transfer) is not None


def elders_of(caregiver, right: str) -> QuerySet:
    """The people `caregiver` may do `right` for now (links limited to one transfer excluded)."""
    User = get_user_model()
    if caregiver is None or not getattr(caregiver, "is_authenticated", False):
        return User.objects.none()
    return User.objects.filter(pk__in=links_granting(right).filter(caregiver=caregiver).values("elder_id"))


def transfers_followed(caregiver) -> QuerySet[CareLink]:
    """Links limited to one transfer through which `caregiver` follows it now."""
    return CareLink.objects.live().filter(caregiver=caregiver, transfer__isnull=False, transfers=True)


def link_grants(link_id: int, right: str) -> bool:
    """Does this link still grant `right` now? (The notification sender asks this
    for a copy just before it goes out.)"""
    return CareLink.objects.live().filter(pk=link_id, **{Right(right).value: True}).exists()


def refusal_for(caregiver, elder) -> bool:
    """True when `caregiver` has or had a relationship with `elder` (any status):
    a refused request then says why, plainly, instead of a bare "not found"
    (the caregiver knows the elder already, so nothing is revealed)."""
    if caregiver is None or elder is None or not getattr(caregiver, "is_authenticated", False):
        return False
    return CareLink.objects.filter(caregiver=caregiver, elder=elder).exclude(
        status=CareLink.Status.REQUESTED).exists()


# --- Copies of messages -----------------------------------------------------------------


def copy_links(elder, *, about=None) -> list[CareLink]:
    """The links whose caregivers get a copy of a message to `elder` now: live,
    with the "messages" right (a link limited to one transfer: only for messages
    about it, `about`), each caregiver once, with the caregiver and their profile."""
    transfer_id = _transfer_id(about)
    links = (links_granting(Right.MESSAGES, transfer=transfer_id).filter(elder=elder, caregiver__is_active=True)
             .select_related("caregiver__profile").order_by("caregiver_id", "transfer_id"))
    seen, found = set(), []
    for link in links:
        if link.caregiver_id not in seen:
            seen.add(link.caregiver_id)
            link.elder = elder  # the caller's object: its profile is already loaded when it was asked for
            found.append(link)
    return found


def _transfer_id(about) -> int | None:
    if about is None:
        return None
    from portal.transfers.models import TransferRequest

    return about.pk if isinstance(about, TransferRequest) else None


def copy_url(link: str, *, elder, language: str) -> str:
    """Where a caregiver's copy points: the same page in the caregiver's language,
    through its "acting for" form (/for/<elder id>/...) when the app has one."""
    if not link.startswith("/"):
        return link
    with translation.override(translation.get_language_from_path(link) or language):
        try:
            match = resolve(link)
        except Resolver404:
            return link
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(language):
        if match.namespace and not (match.url_name or "").startswith("for_"):
            try:
                return reverse(f"{match.namespace}:for_{match.url_name}", args=match.args,
                               kwargs={**match.kwargs, "resident_id": elder.pk})
            except NoReverseMatch:
                pass
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return link


# --- Pages and the API -----------------------------------------------------------------


def _with_people(queryset: QuerySet[CareLink]) -> QuerySet[CareLink]:
    return queryset.select_related("elder__profile", "caregiver__profile", "centre", "transfer")


def caregivers_of(elder) -> list[CareLink]:
    """The elder's relationships, newest first: live and pending ones, then ended."""
    return list(_with_people(CareLink.objects.filter(elder=elder)).annotate(
        has_paper=Exists(CareLink.objects.filter(pk=OuterRef("pk"), paper_consent__isnull=False))))


def cared_for_by(caregiver) -> list[CareLink]:
    """Relationships where `caregiver` cares for someone, or asked to."""
    return list(_with_people(CareLink.objects.filter(caregiver=caregiver)))


def people_cared_for(caregiver) -> list[CareLink]:
    """Live links of a caregiver, one per elder (not those limited to one transfer),
    for the "acting as" list of the dashboard."""
    if caregiver is None or not getattr(caregiver, "is_authenticated", False):
        return []
    return list(_with_people(CareLink.objects.live().filter(caregiver=caregiver, transfer__isnull=True))
                .order_by("elder__profile__name_en", "elder_id"))


def links_visible_to(user) -> QuerySet[CareLink]:
    """Every link the user is a party to (the API's list and detail)."""
    return _with_people(CareLink.objects.filter(Q(elder=user) | Q(caregiver=user)))


def link_of_elder(elder, link_id) -> CareLink | None:
    return _with_people(CareLink.objects.filter(pk=link_id, elder=elder)).first()


def link_of_party(user, link_id) -> CareLink | None:
    return links_visible_to(user).filter(pk=link_id).first()


def live_link_between(caregiver, elder) -> CareLink | None:
    """The live general link of this pair (any rights), for the "acting as" hub."""
    if caregiver is None or elder is None or caregiver.pk == elder.pk:
        return None
    return _with_people(CareLink.objects.live().filter(caregiver=caregiver, elder=elder,
                                                      transfer__isnull=True)).first()


# --- Invitations ---------------------------------------------------------------------------


def invitation_token(link: CareLink) -> str:
    """A signed, expiring token naming the invitation (nothing is stored)."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object({"link": link.pk})


def invitation_for(token: str) -> CareLink | None:
    """The open invitation a token names, or None (bad, expired, or answered)."""
    try:
        value = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(
            token, max_age=INVITATION_DAYS * 24 * 3600)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("link"), int):
        return None
    return _with_people(CareLink.objects.filter(pk=value["link"], status=CareLink.Status.INVITED)).first()
