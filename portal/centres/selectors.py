"""Who may assist whom. Every page or API that shows a resident's data to centre
staff must go through these functions."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.core import chinese

from .models import (
    AccessLogEntry,
    CaseNote,
    CentreMembership,
    ClaimDocument,
    Consent,
    EscortRequest,
    InsuranceClaim,
    ServiceCentre,
)


def centre_of(user) -> ServiceCentre | None:
    membership = getattr(user, "centre_membership", None) if user.is_authenticated else None
    return membership.centre if membership else None


def residents_assisted_by(staff) -> QuerySet:
    """Residents who currently consent to the staff member's centre."""
    User = get_user_model()
    centre = centre_of(staff)
    if centre is None:
        return User.objects.none()
    return User.objects.filter(
        centre_consents__in=Consent.objects.active().filter(centre=centre)
    ).distinct()


def staff_can_assist(staff, resident) -> bool:
    centre = centre_of(staff)
    if centre is None or resident is None:
        return False
    return Consent.objects.active().filter(centre=centre, resident=resident).exists()


# --- Reads for the console and the residents' pages ------------------------------
# (Added with the console; the three functions above keep their signatures.)

SEARCH_LIMIT = 20
# How long a reason given when opening a case covers further reads of that case.
CASE_REASON_TTL = timedelta(hours=1)
_SESSION_KEY = "centres_case_reasons"


def consenting_residents(centre) -> QuerySet:
    """Residents with a live consent to `centre`, with their profiles (one query)."""
    User = get_user_model()
    if centre is None:
        return User.objects.none()
    return User.objects.filter(
        pk__in=Consent.objects.active().filter(centre=centre).values("resident_id")
    ).select_related("profile")


def assisted_resident(staff, resident_id) -> object | None:
    """The resident if `staff`'s centre currently has their consent, else None (404)."""
    try:
        resident_id = int(resident_id)
    except (TypeError, ValueError):
        return None
    return consenting_residents(centre_of(staff)).filter(pk=resident_id).first()


def search_residents(staff, *, name: str = "", phone_digits: str = "", id_last_digits: str = "") -> list:
    """Consenting residents of the staff member's centre matching one criterion.
    Identity numbers are matched by their last four digits only (the stored form
    is normalised, e.g. A123456(3), so the four digits sit just before the bracket)."""
    queryset = consenting_residents(centre_of(staff))
    if id_last_digits:
        queryset = queryset.filter(profile__id_document_number__contains=f"{id_last_digits}(")
    elif phone_digits:
        queryset = queryset.filter(
            Q(profile__phone__endswith=phone_digits) | Q(profile__mainland_phone__endswith=phone_digits)
        )
    elif name:
        condition = Q(profile__name_en__icontains=name)
        for variant in chinese.script_variants(name):
            condition |= Q(profile__name_zh__contains=variant)
        queryset = queryset.filter(condition)
    else:
        return []
    return list(queryset.order_by("profile__name_en", "pk")[:SEARCH_LIMIT])


def live_consent(centre, resident) -> Consent | None:
    return Consent.objects.active().filter(centre=centre, resident=resident).first()


def consents_of(resident) -> list[Consent]:
    return list(Consent.objects.filter(resident=resident).select_related("centre").order_by("-granted_at", "-id"))


def consent_is_live(consent: Consent, at=None) -> bool:
    at = at or timezone.now()
    return consent.revoked_at is None and consent.granted_at <= at and (consent.expires_at is None or consent.expires_at > at)


def case_notes(centre, resident) -> list[CaseNote]:
    return list(CaseNote.objects.filter(centre=centre, resident=resident).select_related("author__profile"))


def escorts_of_resident(resident) -> list[EscortRequest]:
    return list(
        EscortRequest.objects.filter(resident=resident)
        .select_related("centre", "hospital", "assigned_to__profile")
        .order_by("-visit_at", "-id")
    )


def escorts_for_case(centre, resident) -> list[EscortRequest]:
    return list(
        EscortRequest.objects.filter(centre=centre, resident=resident)
        .select_related("hospital", "assigned_to__profile")
        .order_by("-visit_at", "-id")
    )


def centre_escorts(centre, *, upcoming_only: bool = True) -> list[EscortRequest]:
    """The centre's escort requests, for residents who still consent."""
    queryset = EscortRequest.objects.filter(
        centre=centre, resident__in=Consent.objects.active().filter(centre=centre).values("resident_id")
    ).select_related("hospital", "resident__profile", "assigned_to__profile")
    if upcoming_only:
        queryset = queryset.filter(visit_at__gte=timezone.now() - timedelta(hours=12)).exclude(
            status=EscortRequest.Status.CANCELLED
        )
    return list(queryset.order_by("visit_at", "id"))


def centre_staff_members(centre) -> list:
    return [m.user for m in CentreMembership.objects.filter(centre=centre).select_related("user__profile").order_by("user__email")]


def claims_for_case(centre, resident) -> list[InsuranceClaim]:
    return list(
        InsuranceClaim.objects.filter(centre=centre, resident=resident)
        .select_related("hospital")
        .order_by("-visit_date", "-id")
    )


def claims_of_resident(resident) -> list[InsuranceClaim]:
    return list(
        InsuranceClaim.objects.filter(resident=resident).select_related("hospital", "centre").order_by("-visit_date", "-id")
    )


def _claim_queryset():
    return InsuranceClaim.objects.select_related("hospital", "centre", "resident__profile").prefetch_related(
        Prefetch("documents", queryset=ClaimDocument.objects.select_related("uploaded_by__profile")),
        "events__actor__profile",
    )


# The one role that moves insurance claims (services.CLAIM_WORKFLOW).
CLAIM_HANDLER = "centre_staff"


def claim_roles(user, claim: InsuranceClaim) -> set[str]:
    """The workflow roles `user` holds on `claim`: its centre's staff while the resident consents."""
    centre = centre_of(user)
    if centre is not None and claim.centre_id == centre.pk and staff_can_assist(user, claim.resident):
        return {CLAIM_HANDLER}
    return set()


def claim_for_resident(resident, claim_id) -> InsuranceClaim | None:
    return _claim_queryset().filter(pk=claim_id, resident=resident).first()


def claim_for_staff(staff, claim_id) -> InsuranceClaim | None:
    """A claim of the staff member's centre whose resident still consents."""
    centre = centre_of(staff)
    if centre is None:
        return None
    return _claim_queryset().filter(
        pk=claim_id, centre=centre,
        resident__in=Consent.objects.active().filter(centre=centre).values("resident_id"),
    ).first()


def access_log_of(resident, limit: int = 200) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(resident=resident).select_related("actor__profile", "centre", "care_link")[:limit]
    )


# --- The reason given when a case is opened ---------------------------------------


def case_reason(request, resident_id: int) -> str:
    """The reason the staff member gave when they opened this resident's case in
    this session, if still fresh ("" otherwise). Other apps' staff views pass it as
    `why` to services.access_log_record, or send the user to centres:case_open."""
    entry = request.session.get(_SESSION_KEY, {}).get(str(resident_id))
    if not entry:
        return ""
    try:
        given_at = timezone.datetime.fromisoformat(entry["at"])
    except (KeyError, ValueError):
        return ""
    if timezone.now() - given_at > CASE_REASON_TTL:
        return ""
    return entry.get("why", "")


def remember_case_reason(request, resident_id: int, why: str) -> None:
    reasons = dict(request.session.get(_SESSION_KEY, {}))
    reasons[str(resident_id)] = {"why": why, "at": timezone.now().isoformat()}
    request.session[_SESSION_KEY] = reasons


# --- Managers' workload ------------------------------------------------------------

OPEN_CASE_WINDOW = timedelta(days=30)
PENDING_CLAIM_STATUSES = (InsuranceClaim.Status.PREPARED, InsuranceClaim.Status.SUBMITTED)


def workload(centre) -> dict:
    """Open cases (consenting residents with a note, escort or claim in the last
    30 days, or an escort or claim still open), escorts this week, pending claims."""
    now = timezone.now()
    since = now - OPEN_CASE_WINDOW
    local_today = timezone.localdate()
    week_start = timezone.make_aware(
        timezone.datetime.combine(local_today - timedelta(days=local_today.weekday()), timezone.datetime.min.time())
    )
    week_end = week_start + timedelta(days=7)
    consenting = Consent.objects.active().filter(centre=centre).values("resident_id")
    open_cases = list(
        get_user_model().objects.filter(pk__in=consenting).filter(
            Q(pk__in=CaseNote.objects.filter(centre=centre, created_at__gte=since).values("resident_id"))
            | Q(pk__in=EscortRequest.objects.filter(centre=centre).filter(
                Q(created_at__gte=since) | Q(visit_at__gte=now, status__in=["requested", "assigned"])
            ).values("resident_id"))
            | Q(pk__in=InsuranceClaim.objects.filter(centre=centre).filter(
                Q(updated_at__gte=since) | Q(status__in=PENDING_CLAIM_STATUSES)
            ).values("resident_id"))
        ).select_related("profile").order_by("profile__name_en", "pk")
    )
    escorts = list(
        EscortRequest.objects.filter(centre=centre, visit_at__gte=week_start, visit_at__lt=week_end)
        .exclude(status=EscortRequest.Status.CANCELLED)
        .select_related("hospital", "resident__profile", "assigned_to__profile")
        .order_by("visit_at", "id")
    )
    pending = list(
        InsuranceClaim.objects.filter(centre=centre, status__in=PENDING_CLAIM_STATUSES)
        .select_related("hospital", "resident__profile")
        .order_by("visit_date", "id")
    )
    counts = InsuranceClaim.objects.filter(centre=centre).values("status").annotate(n=Count("id"))
    return {
        "open_cases": open_cases, "escorts_this_week": escorts, "pending_claims": pending,
        "claim_counts": {row["status"]: row["n"] for row in counts},
        "week_start": week_start, "week_end": week_end - timedelta(days=1),
    }


def normalise_digits(text: str) -> str:
    return re.sub(r"[\s\-+()]", "", text or "")


# --- For the appointments app ----------------------------------------------------------


def escorts_for_appointment(appointment) -> list[EscortRequest]:
    """Escort requests linked to one appointment, newest first (one query). The
    appointments app shows them on the appointment page; callers have already
    checked that the viewer may see the appointment."""
    return list(
        EscortRequest.objects.filter(appointment_id=appointment.pk)
        .select_related("centre", "assigned_to__profile")
        .order_by("-created_at", "-id")
    )


def nearest_centre(hospital) -> ServiceCentre | None:
    """The service centre a resident at `hospital` can turn to: one in the same city
    first, else the nearest in a straight line (a centre is placed at its host
    hospital, else at its city's centre). One query: there are only a few centres."""
    from portal.hospitals.geo import haversine_km

    def position(place, city) -> tuple | None:
        if place is not None and place.latitude is not None and place.longitude is not None:
            return place.latitude, place.longitude
        if city is not None and city.latitude is not None and city.longitude is not None:
            return city.latitude, city.longitude
        return None

    centres = list(ServiceCentre.objects.select_related("city", "hospital"))
    same_city = [centre for centre in centres if centre.city_id == hospital.city_id]
    if same_city:
        return same_city[0]
    origin = position(hospital, hospital.city)
    if origin is None:
        return None
    placed = [(centre, position(centre.hospital, centre.city)) for centre in centres]
    distances = [(haversine_km(*origin, *where), centre.slug, centre) for centre, where in placed if where]
    return min(distances)[2] if distances else None
