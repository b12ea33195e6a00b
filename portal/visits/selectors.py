"""Reads for the visit guide. `visit_guide` gathers, for one appointment, every
fact the resident needs on the day; each rule it applies lives here once
(documents to bring, the crossing used, the cross-boundary record reminder) or
in its own app (vouchers: portal.vouchers.selectors.visit_payable_with_vouchers).
The page, its print version and the messages (confirmation, 24-hour reminder)
all read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from portal.accounts import identity
from portal.appointments.models import Appointment
from portal.core.translated import translated_columns
from portal.hospitals.models import BorderPoint, Department, Hospital

from .models import (
    CrossingHours,
    CrossingRoute,
    DepartmentLocation,
    HealthSummary,
    HospitalVisitInfo,
    VisitPreferences,
)

# The home identity documents, as chosen at booking or held on the profile.
HOME_DOCUMENTS = {
    identity.HKID: "hkid",
    identity.CERTIFICATE_OF_EXEMPTION: "coe",
    identity.MACAO_ID: "macao_id",
}


def document_labels() -> dict[str, str]:
    return {
        "hkid": _("Your Hong Kong identity card"),
        "coe": _("Your Certificate of Exemption"),
        "macao_id": _("Your Macao resident identity card"),
        "home_id_unknown": _("Your Hong Kong identity card (or Certificate of Exemption) or your Macao resident "
                             "identity card"),
        "travel_permit": _("Your Mainland Travel Permit for Hong Kong and Macao Residents (Home Return Permit)"),
    }


def documents_to_bring(resident, appointment: Appointment) -> list[str]:
    """Codes of the documents this resident brings to this visit, in order: their
    home identity document (from the profile, else the one chosen at booking;
    decision 0052), and the Mainland Travel Permit to cross. One rule for the
    page, the print and the messages."""
    profile = getattr(resident, "profile", None)
    home = HOME_DOCUMENTS.get(getattr(profile, "id_document_type", "") or "") or HOME_DOCUMENTS.get(
        appointment.id_document)
    return [home or "home_id_unknown", "travel_permit"]


def takes_part_in_cross_boundary_record(hospital: Hospital) -> bool:
    """eHealth's cross-boundary health record reaches each GBA voucher service
    point from the day it joins the pilot (FACTS.md, December 2026)."""
    return hospital.is_voucher_point and hospital.city.region == "mainland"


def usual_crossing_of(resident) -> BorderPoint | None:
    preferences = VisitPreferences.objects.filter(resident=resident).select_related("usual_crossing__hours").first()
    return preferences.usual_crossing if preferences else None


def _related(obj, name: str):
    """A reverse one-to-one (fetched with select_related), or None when there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class VisitGuide:
    appointment: Appointment
    hospital: Hospital
    department: object
    location: DepartmentLocation | None
    info: HospitalVisitInfo | None
    documents: list[str]
    crossing: BorderPoint | None
    crossing_is_usual: bool
    route: CrossingRoute | None
    hours: CrossingHours | None
    vouchers_apply: bool
    vouchers_reason: str
    cross_boundary_record: bool

    @property
    def document_texts(self) -> list[str]:
        labels = document_labels()
        return [labels[code] for code in self.documents]


def visit_guide(*, appointment: Appointment, crossing_code: str = "", viewer=None,
                ask_vouchers: bool = True) -> VisitGuide:
    """The guide to one appointment (a handful of queries). The crossing is the one
    asked for (`crossing_code`), else the resident's usual crossing, else the
    crossing with a recorded route to the hospital. The voucher reason names a
    balance only for the resident themself: others see whether vouchers apply."""
    from portal.vouchers.selectors import visit_payable_with_vouchers

    resident = appointment.resident
    # The department with its building and the hospital with its visit facts, in one query.
    department = Department.objects.select_related(
        "specialty", "location", "hospital__city", "hospital__visit_info").get(pk=appointment.slot.department_id)
    hospital = department.hospital
    routes = {route.border_point_id: route for route in
              CrossingRoute.objects.filter(hospital=hospital).select_related("border_point__hours")}
    usual = usual_crossing_of(resident)
    chosen = BorderPoint.objects.select_related("hours").filter(code=crossing_code).first() if crossing_code else None
    crossing = chosen or usual
    if crossing is None and routes:
        crossing = next(iter(routes.values())).border_point
    if ask_vouchers:
        payability = visit_payable_with_vouchers(resident, department, on=appointment.starts_at.date())
        payable, reason = payability.payable, payability.reason
        if viewer is not None and viewer != resident:
            reason = (_("Vouchers can be used for this visit; the resident's balance is in the eHealth app.")
                      if payable else _("Vouchers cannot be used for this visit."))
    else:  # a message: the choice made at booking, which the voucher rule checked then
        payable, reason = appointment.pay_with_vouchers, ""
    return VisitGuide(
        appointment=appointment, hospital=hospital, department=department,
        location=_related(department, "location"), info=_related(hospital, "visit_info"),
        documents=documents_to_bring(resident, appointment),
        crossing=crossing, crossing_is_usual=crossing is not None and crossing == usual,
        route=routes.get(crossing.pk) if crossing else None,
        hours=_related(crossing, "hours") if crossing else None,
        vouchers_apply=payable, vouchers_reason=str(reason),
        cross_boundary_record=takes_part_in_cross_boundary_record(hospital),
    )


def _names(obj, field: str) -> dict[str, str]:
    """A translated field in every language, with the pages' fallbacks (the shape
    of appointments' message context, read by its `in_language` filter)."""
    return {code: next(filter(None, (getattr(obj, column) for column in translated_columns(field, code))), "")
            for code, _name in settings.LANGUAGES}


def guide_for_message(appointment: Appointment) -> dict:
    """The guide's key facts as JSON for a message (confirmation, 24-hour reminder):
    codes and names in every language, so each recipient's copy is rendered in
    their own language (portal.notifications). Vouchers: whether the resident
    chose to pay with them at booking (the registry is not asked while booking)."""
    guide = visit_guide(appointment=appointment, ask_vouchers=False)
    return {
        "documents": guide.documents,
        "building": _names(guide.location, "building") if guide.location else None,
        "crossing": _names(guide.crossing, "name") if guide.crossing else None,
        "transport": _names(guide.route, "transport") if guide.route and guide.route.transport else None,
        "counter": _names(guide.info, "patients_counter") if guide.info and guide.info.patients_counter else None,
        "payment": [method for method in ("wechat_pay", "alipay", "cash")
                    if guide.info and getattr(guide.info, method) == HospitalVisitInfo.Accepted.YES],
        "vouchers": guide.vouchers_apply,
        "cross_boundary_record": guide.cross_boundary_record,
    }


# --- The health summary -------------------------------------------------------------------


def summary_acting_for(user, resident_id: int | None):
    """Whose health summary `user` may keep: their own, or an elder's who gave them
    the health summary right (portal.care's one rule). Centre staff do not see it:
    sharing medical information is the resident's own consent (decision 0061).
    The one scoping function of the summary's pages and API: raises CareRefused
    (403, said plainly) or Http404."""
    from portal.care.doors import resident_acted_for
    from portal.care.models import Right

    return resident_acted_for(user, resident_id, Right.HEALTH_SUMMARY, allow_staff=False)


def health_summary_of(resident) -> HealthSummary | None:
    return (HealthSummary.objects.filter(resident=resident)
            .prefetch_related("connect_items__therapeutic_area").first())


def connect_items_to_pick():
    """The Connect items a resident can pick from for their medicines (listed ones)."""
    from portal.medicines.models import ConnectItem

    return ConnectItem.objects.filter(status=ConnectItem.Status.LISTED).order_by("generic_name_en")


# --- Documents from visits ----------------------------------------------------------------


def documents_visible_to(user):
    """The visit documents `user` may open: their own; an elder's who gave them the
    health summary right (portal.care's one rule); and, for centre staff, those the
    resident shared with their centre while the resident still consents to it.
    Hospital admins and everyone else: none. The one scoping function of the
    document pages, downloads and API."""
    from django.db.models import Q

    from portal.care.models import Right
    from portal.care.selectors import elders_of
    from portal.centres.selectors import centre_of, residents_assisted_by

    from .models import VisitDocument

    if not user.is_authenticated:
        return VisitDocument.objects.none()
    scope = Q(resident=user) | Q(resident__in=elders_of(user, Right.HEALTH_SUMMARY).values("id"))
    centre = centre_of(user)
    if centre is not None:
        scope |= Q(shared_with=centre, resident__in=residents_assisted_by(user).values("id"))
    return VisitDocument.objects.filter(scope).select_related("appointment", "resident", "shared_with")


def document_for(user, document_id: int):
    from django.http import Http404

    if not 0 < int(document_id) < 2**63:  # a key the database cannot hold is no document
        raise Http404
    document = documents_visible_to(user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document


def documents_acting_for(user, resident_id: int | None):
    """Whose visit documents `user` may upload and list on the visit page: their own,
    or an elder's with the health summary right (as summary_acting_for)."""
    return summary_acting_for(user, resident_id)
