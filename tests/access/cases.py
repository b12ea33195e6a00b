"""The access matrix: every detail page and API object endpoint x every role.

One place to add rows. A domain appends its endpoints to CASES (and, when they need
an object, a builder to OBJECTS); tests/access/test_matrix.py runs each row for each
role and asserts the expected outcome. Example, for appointments:

    OBJECTS["appointment"] = lambda w: AppointmentFactory(
        resident=w.owner, slot__department__hospital=w.hospital)
    CASES.append(Case(
        "appointment detail page",
        url=lambda w: reverse("appointments:detail", args=[w.obj("appointment").pk]),
        expect=row(owner=SEES, hospital_admin=SEES, centre_staff_with_consent=SEES, superuser=SEES),
        secret=lambda w: w.obj("appointment").reference,
    ))

The world (tests/access/conftest.py) is: the owner (a resident) whose data the URL
shows; another resident; a hospital (the right one: the owner's object belongs to
it) and another; an admin of each; staff of a centre the owner consented to, and of
a centre without consent; a superuser. Staff sign in with both factors; the
"..._password_only" roles are the right hospital's admin, the consenting centre's
staff and the superuser signed in by password alone, denied everywhere: no door
gives staff data before the second factor is used in the session (issue 15).
And caregivers (issue 16): the owner's caregiver with the rights to manage
appointments, see vouchers, request and follow transfers and receive copies of
messages ("caregiver"), the owner's caregiver with the messages right only, a
caregiver of the other resident, and two of the owner's former caregivers: one
whose relationship the owner ended, one past its last day. A caregiver does exactly
what the owner granted, for the owner, and nothing after the relationship ends.
"caregiver_of_one_transfer" follows only the owner's transfer (what a follower of a
transfer became): its timeline, not its details.

Outcomes:
- SEES: 200 and, if the case has a `secret`, the owner's data is on the page.
- OWN: 200, but the page is the user's own (the owner's secret is not there), e.g.
  /accounts/profile/ for any signed-in user.
- DENY: no data: 401, 403 or 404, or a redirect (to sign-in, or the admin's
  "not found" redirect); never a 5xx, never the owner's secret.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

ROLES = (
    "anonymous",
    "other_resident",
    "owner",
    "other_hospital_admin",
    "hospital_admin",
    "centre_staff_with_consent",
    "centre_staff_without_consent",
    "superuser",
    "hospital_admin_password_only",
    "centre_staff_with_consent_password_only",
    "superuser_password_only",
    "caregiver",
    "caregiver_messages_only",
    "caregiver_of_other_resident",
    "caregiver_revoked",
    "caregiver_past_end_date",
    "caregiver_of_one_transfer",
)
PASSWORD_ONLY = "_password_only"

SEES, OWN, DENY = "sees", "own", "deny"


def row(default: str = DENY, **outcomes: str) -> dict[str, str]:
    """Outcome per role; roles not named get `default`. Staff signed in by password
    only are denied everywhere."""
    unknown = set(outcomes) - {role for role in ROLES if not role.endswith(PASSWORD_ONLY)}
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return {role: DENY if role.endswith(PASSWORD_ONLY) else outcomes.get(role, default) for role in ROLES}


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[Any], str]
    expect: dict[str, str]
    method: str = "get"
    data: Callable[[Any], dict] | None = None  # form data or JSON body
    json: bool = False  # send `data` as JSON (API endpoints)
    secret: Callable[[Any], str] | None = None  # owner's data that must not leak
    allow_status: tuple[int, ...] = (200,)
    deny_status: tuple[int, ...] = (302, 401, 403, 404)
    tags: tuple[str, ...] = field(default_factory=tuple)
    # prepare(client, world): run with the role's client before the request (e.g.
    # centre staff give the reason for opening a case in their session).
    prepare: Callable[[Any, Any], None] | None = None


# Objects the URLs point at, built on demand once per test: name -> builder(world).
OBJECTS: dict[str, Callable[[Any], Any]] = {}

CASES: list[Case] = []

# --- accounts and core (issue #2) -------------------------------------------------
_signed_in_own_page = row(anonymous=DENY, default=OWN)
_signed_in_own_page["owner"] = SEES

CASES += [
    Case("profile page", url=lambda w: reverse("accounts:profile"), expect=_signed_in_own_page,
         secret=lambda w: w.owner.profile.name_en),
    Case("profile edit page", url=lambda w: reverse("accounts:profile_edit"), expect=_signed_in_own_page,
         secret=lambda w: w.owner.profile.name_en),
    Case("preferences page", url=lambda w: reverse("accounts:preferences"), expect=row(anonymous=DENY, default=OWN)),
    Case("profile edit (POST)", method="post", url=lambda w: reverse("accounts:profile_edit"),
         data=lambda w: {"name_en": "Changed"}, expect=row(anonymous=DENY, default=OWN),
         allow_status=(200, 302, 400)),
    # A live caregiver of the owner finds the owner in "acting as".
    Case("dashboard", url=lambda w: reverse("core:dashboard"),
         expect={**_signed_in_own_page, "caregiver": SEES, "caregiver_messages_only": SEES},
         secret=lambda w: w.owner.profile.name_en),
    Case("e-mail addresses page", url=lambda w: reverse("account_email"), expect=_signed_in_own_page,
         secret=lambda w: w.owner.email),
    # --- the Django admin ---------------------------------------------------------
    Case("admin: hospital change page", url=lambda w: reverse("admin:hospitals_hospital_change", args=[w.hospital.pk]),
         expect=row(hospital_admin=SEES, superuser=SEES), secret=lambda w: w.hospital.name_en),
    Case("admin: hospital change (POST)", method="post",
         url=lambda w: reverse("admin:hospitals_hospital_change", args=[w.hospital.pk]),
         data=lambda w: {"name_en": "Renamed by an intruder"},
         expect=row(hospital_admin=SEES, superuser=SEES), allow_status=(200, 302)),
    Case("admin: resident's user record", url=lambda w: reverse("admin:accounts_user_change", args=[w.owner.pk]),
         expect=row(superuser=SEES), secret=lambda w: w.owner.email),
]


# --- Domains (issue #9 item 4, added by "journeys") --------------------------------
# Builders: each object belongs to w.owner and, where a hospital is involved, to
# w.hospital (so "hospital_admin" is the right hospital's admin and
# "other_hospital_admin" another's). Rules come from each app's selectors:
# appointments_of / _subject (owner; centre staff only under /for/<id>/ with consent),
# vouchers claim_for_owner / claims_at_service_points, transfers_visible_to and
# can_see_details, notification_for (recipient only), centres staff_required +
# assisted_resident (staff of a consented centre, with a reason given).
SECRET_REASON = "Secret reason: blood pressure 172/104"
SECRET_CLINICAL = "Secret clinical summary: right-sided weakness since 3 May"
SECRET_VISIT = "APT-SECRET-4417"
SECRET_FILE = b"%PDF-1.4\n% secret-scan-5521\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET_WHY = "Checking the tax letter 9093"


def _appointment(w):
    from datetime import timedelta

    from django.utils import timezone

    from portal.appointments import services
    from tests.appointments.factories import SlotFactory
    from tests.factories import DepartmentFactory

    profile = w.owner.profile
    profile.travel_permit_number = "H55556666"
    profile.save()
    slot = SlotFactory(department=DepartmentFactory(hospital=w.hospital),
                       starts_at=timezone.now().replace(microsecond=0, second=0) + timedelta(days=5))
    return services.appointment_book(actor=w.owner, resident=w.owner, slot_id=slot.pk, reason=SECRET_REASON,
                                     id_document="travel_permit")


def _voucher_claim(w):
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from portal.vouchers import services
    from portal.vouchers.models import ExchangeRate
    from tests.factories import DepartmentFactory

    for hospital in (w.hospital, w.other_hospital):  # both are service points: the other admin is staff elsewhere
        hospital.is_voucher_point, hospital.voucher_since = True, date(2015, 10, 6)
        hospital.save()
    department = DepartmentFactory(hospital=w.hospital, accepts_vouchers=True)
    ExchangeRate.objects.create(month=timezone.localdate(), hkd_per_rmb=Decimal("1.08500"))
    profile = w.owner.profile
    profile.date_of_birth, profile.id_document_type, profile.id_document_number = date(1954, 3, 8), "hkid", "A123456(3)"
    profile.save()
    services.account_open(user=w.owner)
    claim, _code = services.claim_record(actor=w.hospital_admin, resident=w.owner, department=department,
                                         service_date=timezone.localdate(), amount_rmb=Decimal("100.00"),
                                         visit_reference=SECRET_VISIT)
    return claim


def _transfer(w):
    from datetime import date, timedelta

    from portal.transfers import services
    from portal.transfers.models import Route
    from tests.factories import BorderPointFactory, HospitalFactory

    receiving = HospitalFactory(slug="pmh", name_en="Princess Margaret Hospital", name_zh_hant="瑪嘉烈醫院",
                                name_zh_hans="玛嘉烈医院")
    route = Route.objects.create(sending_hospital=w.hospital, receiving_hospital=receiving,
                                 border_point=BorderPointFactory(), direction="southbound", fee_rmb=4990)
    return services.transfer_submit(
        actor=w.owner, requester=w.owner, route=route, patient_kind="self", clinical_summary=SECRET_CLINICAL,
        mobility_needs="Stretcher", equipment_needs="", escorts=[], preferred_date=date.today() + timedelta(days=3),
        consent_to_share=True)


def _transfer_attachment(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.transfers import services

    return services.attachment_add(actor=w.owner, transfer=w.obj("transfer"),
                                   upload=SimpleUploadedFile("scan.pdf", SECRET_FILE, content_type="application/pdf"))


def _notification(w):
    from django.utils import timezone

    from portal.notifications.models import Notification

    return Notification.objects.create(recipient=w.owner, event="test_event", language="en", subject="Your results",
                                       body=SECRET_REASON, send_after=timezone.now())


def _centre_claim(w):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from portal.centres import services

    return services.claim_create(actor=w.centre_staff_with_consent, resident=w.owner,
                                 visit_date=timezone.localdate() - timedelta(days=3), hospital=w.hospital,
                                 insurer="Pearl Insurance", policy_number="PL-1234567890", amount=Decimal("880.50"),
                                 currency="CNY")


def _centre_claim_document(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.centres import services

    return services.claim_document_add(actor=w.owner, claim_id=w.obj("centre_claim").pk,
                                       upload=SimpleUploadedFile("bill.pdf", SECRET_FILE))


def _access_log_entry(w):
    from portal.centres import services
    from portal.centres.models import AccessWhat

    return services.access_log_record(staff=w.centre_staff_with_consent, resident=w.owner, what=AccessWhat.CASE,
                                      why=SECRET_WHY)


def _free_slot(w):
    from datetime import timedelta

    from django.utils import timezone

    from tests.appointments.factories import SlotFactory
    from tests.factories import DepartmentFactory

    profile = w.owner.profile
    profile.travel_permit_number = "H55556666"
    profile.save()
    return SlotFactory(department=DepartmentFactory(hospital=w.hospital), capacity=2,
                       starts_at=timezone.now().replace(microsecond=0, second=0) + timedelta(days=6))


def timezone_date(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).date().isoformat()


OBJECTS.update({
    "free_slot": _free_slot,
    "appointment": _appointment,
    "voucher_claim": _voucher_claim,
    "transfer": _transfer,
    "transfer_attachment": _transfer_attachment,
    "notification": _notification,
    "centre_claim": _centre_claim,
    "centre_claim_document": _centre_claim_document,
    "access_log_entry": _access_log_entry,
})


def _open_case(client, w):
    """Centre staff give a reason for opening the owner's case in this session (a
    no-op 404 for everyone else)."""
    client.post(reverse("centres:case_open", args=[w.owner.pk]), {"reason": "enquiry", "other": ""})


# Secrets are never part of the URL (a 404 page may echo the path): the reason for
# the visit, the hospital's name, the clinical summary, a file's bytes.
def _ref(w):
    return w.obj("appointment").reference


_owner_only = row(owner=SEES)
_transfer_parties = row(owner=SEES, hospital_admin=SEES, centre_staff_with_consent=SEES, superuser=SEES,
                        caregiver=SEES, caregiver_of_one_transfer=OWN)
# The documents: not for a caregiver limited to following the transfer.
_transfer_documents = {**_transfer_parties, "caregiver_of_one_transfer": DENY}
_resident_own_page = row(anonymous=DENY, default=OWN)
_resident_own_page["owner"] = SEES
_STRICT = (404,)  # signed-in strangers must not even learn the object exists (anonymous: sign-in)
# A former caregiver (or one without this right) knows the person already: a
# page that says plainly why not (403); everyone else, 404.
_FORMER_CAREGIVER = (403, 404)
_API_DENY = (401, 403, 404)

CASES += [
    # --- appointments ---------------------------------------------------------------
    Case("appointment detail page", url=lambda w: reverse("appointments:detail", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: SECRET_REASON, deny_status=_STRICT),
    Case("appointment calendar (.ics)", url=lambda w: reverse("appointments:calendar", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: w.hospital.name_en, deny_status=_STRICT),
    Case("appointment cancel page", url=lambda w: reverse("appointments:cancel", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: w.hospital.name_en, deny_status=_STRICT),
    Case("appointment cancel (POST)", method="post", url=lambda w: reverse("appointments:cancel", args=[_ref(w)]),
         expect=_owner_only, allow_status=(302,), deny_status=_STRICT),
    Case("appointment reschedule page", url=lambda w: reverse("appointments:reschedule", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: w.hospital.name_en, deny_status=_STRICT),
    Case("appointment detail for a resident (centre staff or caregiver)", prepare=_open_case,
         url=lambda w: reverse("appointments:for_detail", args=[w.owner.pk, _ref(w)]),
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), secret=lambda w: SECRET_REASON,
         deny_status=_FORMER_CAREGIVER),
    Case("appointments of a resident (centre staff or caregiver)", prepare=_open_case,
         url=lambda w: (w.obj("appointment"), reverse("appointments:for_index", args=[w.owner.pk]))[1],
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), secret=_ref, deny_status=_FORMER_CAREGIVER),
    Case("book for a resident (POST, centre staff or caregiver)", method="post", prepare=_open_case,
         url=lambda w: reverse("appointments:for_book_slot", args=[w.owner.pk, w.obj("free_slot").pk]),
         data=lambda w: {"reason": "Booked for the owner", "id_document": "travel_permit"},
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), allow_status=(302,),
         deny_status=_FORMER_CAREGIVER),
    Case("appointment cancel for a resident (POST, centre staff or caregiver)", method="post", prepare=_open_case,
         url=lambda w: reverse("appointments:for_cancel", args=[w.owner.pk, _ref(w)]),
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), allow_status=(302,),
         deny_status=_FORMER_CAREGIVER),
    Case("API: appointment detail", url=lambda w: reverse("api:appointments-detail", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: SECRET_REASON, deny_status=_API_DENY),
    Case("API: appointment cancel", method="post", json=True,
         url=lambda w: reverse("api:appointments-cancel", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: _ref(w), deny_status=_API_DENY),
    # With `resident`: the person acted for. Reads: caregivers only (staff read through
    # the console, with a reason); writes: caregivers and staff with consent.
    Case("API: appointments of a resident",
         url=lambda w: (w.obj("appointment"), reverse("api:appointments-list") + f"?resident={w.owner.pk}")[1],
         expect=row(owner=SEES, caregiver=SEES), secret=_ref, deny_status=_API_DENY),
    Case("API: appointment detail for a resident",
         url=lambda w: reverse("api:appointments-detail", args=[_ref(w)]) + f"?resident={w.owner.pk}",
         expect=row(owner=SEES, caregiver=SEES), secret=lambda w: SECRET_REASON, deny_status=_API_DENY),
    Case("API: book for a resident", method="post", json=True, url=lambda w: reverse("api:appointments-list"),
         data=lambda w: {"slot": w.obj("free_slot").pk, "reason": "Booked for the owner",
                         "id_document": "travel_permit", "resident": w.owner.pk},
         expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES), allow_status=(201,),
         secret=lambda w: "Booked for the owner", deny_status=_API_DENY),
    Case("API: appointment cancel for a resident", method="post", json=True,
         url=lambda w: reverse("api:appointments-cancel", args=[_ref(w)]), data=lambda w: {"resident": w.owner.pk},
         expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES), secret=_ref,
         deny_status=_API_DENY),
    Case("API: join a waiting list for a resident", method="post", json=True, url=lambda w: reverse("api:waitlist"),
         data=lambda w: {"department": w.obj("free_slot").department_id, "resident": w.owner.pk,
                         "date": timezone_date(w.obj("free_slot").starts_at)},
         expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES), allow_status=(201,),
         secret=lambda w: w.hospital.name_en, deny_status=_API_DENY),
    Case("admin: appointment change page",
         url=lambda w: reverse("admin:appointments_appointment_change", args=[w.obj("appointment").pk]),
         expect=row(hospital_admin=SEES, superuser=SEES), secret=lambda w: SECRET_REASON),
    # --- vouchers -------------------------------------------------------------------
    Case("vouchers page (pending claim)", url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:index"))[1],
         expect=_resident_own_page, secret=lambda w: SECRET_VISIT),
    Case("vouchers of a resident (caregiver)",
         url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:for_index", args=[w.owner.pk]))[1],
         expect=row(caregiver=SEES), secret=lambda w: SECRET_VISIT, deny_status=_FORMER_CAREGIVER),
    Case("voucher history of a resident (caregiver)",
         url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:for_history", args=[w.owner.pk]))[1],
         expect=row(caregiver=SEES), deny_status=_FORMER_CAREGIVER),
    Case("API: vouchers of a resident",
         url=lambda w: (w.obj("voucher_claim"), reverse("api:vouchers-account") + f"?resident={w.owner.pk}")[1],
         expect=row(owner=SEES, caregiver=SEES), secret=lambda w: SECRET_VISIT, deny_status=_API_DENY),
    Case("voucher statement", url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:statement"))[1],
         expect=_owner_only, secret=lambda w: "A****56(*)", deny_status=_STRICT),
    Case("voucher statement (CSV)", url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:statement_csv"))[1],
         expect=_owner_only, secret=lambda w: "claim,recorded_at", deny_status=_STRICT),
    Case("voucher claim confirm (POST)", method="post",
         url=lambda w: reverse("vouchers:claim_confirm", args=[w.obj("voucher_claim").pk]),
         expect=_owner_only, allow_status=(302,), deny_status=_STRICT),
    Case("API: voucher claim confirm", method="post", json=True,
         url=lambda w: reverse("api:vouchers-claim-confirm", args=[w.obj("voucher_claim").pk]),
         # The owner confirms; the service point's admin (and a superuser) may, with the
         # resident's code: without it, 400. Everyone else: 404.
         expect=row(owner=SEES, hospital_admin=SEES, superuser=SEES), allow_status=(200, 400),
         secret=lambda w: SECRET_VISIT, deny_status=_API_DENY),
    Case("service-point claims page",
         url=lambda w: (w.obj("voucher_claim"), reverse("vouchers:staff_claims"))[1],
         expect=row(hospital_admin=SEES, superuser=SEES, other_hospital_admin=OWN),
         secret=lambda w: SECRET_VISIT, deny_status=_STRICT),
    Case("service-point claim code (POST)", method="post",
         url=lambda w: reverse("vouchers:staff_claim_code", args=[w.obj("voucher_claim").pk]),
         data=lambda w: {"code": "000000"}, expect=row(hospital_admin=SEES, superuser=SEES),
         allow_status=(302,), deny_status=_STRICT),
    Case("service-point claim void (POST)", method="post",
         url=lambda w: reverse("vouchers:staff_claim_void", args=[w.obj("voucher_claim").pk]),
         data=lambda w: {"reason": "Entered twice"}, expect=row(hospital_admin=SEES, superuser=SEES),
         allow_status=(302,), deny_status=_STRICT),
    Case("admin: voucher claim change page",
         url=lambda w: reverse("admin:vouchers_claim_change", args=[w.obj("voucher_claim").pk]),
         expect=row(hospital_admin=SEES, superuser=SEES), secret=lambda w: SECRET_VISIT),
    # --- transfers ------------------------------------------------------------------
    Case("transfer detail page", prepare=_open_case,
         url=lambda w: reverse("transfers:detail", args=[w.obj("transfer").pk]),
         expect=_transfer_parties, secret=lambda w: SECRET_CLINICAL, deny_status=_STRICT),
    Case("transfer attachment download", prepare=_open_case,  # staff say why first: the access log
         url=lambda w: reverse("transfers:attachment", args=[w.obj("transfer").pk, w.obj("transfer_attachment").pk]),
         expect=_transfer_documents, secret=lambda w: "secret-scan-5521", deny_status=_STRICT),
    Case("transfer move (POST)", method="post", url=lambda w: reverse("transfers:move", args=[w.obj("transfer").pk]),
         data=lambda w: {"to": "clinically_reviewed"},
         # Parties reach the transfer (the sending hospital makes the move, others are
         # refused with a message: 403); strangers get 404.
         expect=_transfer_parties, allow_status=(302, 403), deny_status=_STRICT),
    Case("API: transfer detail", url=lambda w: reverse("api:transfers-detail", args=[w.obj("transfer").pk]),
         expect=_transfer_parties, secret=lambda w: SECRET_CLINICAL, deny_status=_API_DENY),
    Case("API: transfer moves", method="post", json=True,
         url=lambda w: reverse("api:transfers-moves", args=[w.obj("transfer").pk]),
         data=lambda w: {"to": "clinically_reviewed"}, expect=_transfer_parties, allow_status=(200, 400, 403),
         deny_status=_API_DENY),
    Case("admin: transfer change page",
         url=lambda w: reverse("admin:transfers_transferrequest_change", args=[w.obj("transfer").pk]),
         expect=row(hospital_admin=SEES, superuser=SEES), secret=lambda w: w.obj("transfer").reference),
    # --- notifications --------------------------------------------------------------
    Case("notification detail", url=lambda w: reverse("notifications:detail", args=[w.obj("notification").pk]),
         expect=_owner_only, secret=lambda w: SECRET_REASON, deny_status=_STRICT),
    # --- centres --------------------------------------------------------------------
    Case("centre case: reason page", url=lambda w: reverse("centres:case_open", args=[w.owner.pk]),
         expect=row(centre_staff_with_consent=SEES), secret=lambda w: w.owner.profile.name_en, deny_status=_STRICT),
    Case("centre case view", url=lambda w: reverse("centres:case", args=[w.owner.pk]), prepare=_open_case,
         expect=row(centre_staff_with_consent=SEES), secret=lambda w: w.owner.profile.name_en, deny_status=_STRICT),
    Case("centre claim (staff page)", prepare=_open_case,
         url=lambda w: reverse("centres:staff_claim", args=[w.obj("centre_claim").pk]),
         expect=row(centre_staff_with_consent=SEES), secret=lambda w: "Pearl Insurance", deny_status=_STRICT),
    Case("centre claim (resident page)", url=lambda w: reverse("centres:my_claim", args=[w.obj("centre_claim").pk]),
         expect=_owner_only, secret=lambda w: "Pearl Insurance", deny_status=_STRICT),
    Case("centre claim document", prepare=_open_case,
         url=lambda w: reverse("centres:claim_document",
                               args=[w.obj("centre_claim").pk, w.obj("centre_claim_document").pk]),
         expect=row(owner=SEES, centre_staff_with_consent=SEES), secret=lambda w: "secret-scan-5521",
         deny_status=_STRICT),
    Case("centre access log (resident)", url=lambda w: (w.obj("access_log_entry"), reverse("centres:access_log"))[1],
         expect=_resident_own_page, secret=lambda w: SECRET_WHY),
    Case("API: centre resident detail", url=lambda w: reverse("api:centre-resident", args=[w.owner.pk]) + "?why=enquiry",
         expect=row(centre_staff_with_consent=SEES), secret=lambda w: w.owner.email, deny_status=_API_DENY),
    Case("API: centre access log", url=lambda w: (w.obj("access_log_entry"), reverse("api:centre-access-log"))[1],
         expect=_resident_own_page, secret=lambda w: SECRET_WHY, deny_status=_API_DENY),
]


# --- care: family and caregivers (issue 16) --------------------------------------------------
SECRET_CONSENT_FILE = b"%PDF-1.4\n% secret-consent-7781\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _care_link(w):
    from portal.care.models import CareLink

    return CareLink.objects.get(elder=w.owner, caregiver=w.caregiver)


def _recorded_link(w):
    """A relationship the consenting centre recorded on the owner's paper consent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.care import services

    return services.care_link_record(
        actor=w.centre_staff_with_consent, elder=w.owner, email="cousin@example.com", relationship="relative",
        rights=["appointments"], language="en",
        upload=SimpleUploadedFile("consent.pdf", SECRET_CONSENT_FILE, content_type="application/pdf"))


def _transfer_payload(w) -> dict:
    from datetime import date, timedelta

    from portal.transfers.models import Route
    from tests.factories import BorderPointFactory, HospitalFactory

    route = Route.objects.create(sending_hospital=w.hospital, receiving_hospital=HospitalFactory(),
                                 border_point=BorderPointFactory(), direction="southbound", fee_rmb=4990)
    return {"route": route.pk, "patient_kind": "self", "clinical_summary": "Filed for the owner",
            "preferred_date": (date.today() + timedelta(days=3)).isoformat(), "consent_to_share": True,
            "resident": w.owner.pk}


OBJECTS.update({"care_link": _care_link, "recorded_care_link": _recorded_link})

_live_caregivers = {"caregiver": SEES, "caregiver_messages_only": SEES}

CASES += [
    Case("transfer request for a resident (centre staff or caregiver)", prepare=_open_case,
         url=lambda w: reverse("transfers:new_for", args=[w.owner.pk]),
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), deny_status=_FORMER_CAREGIVER),
    Case("API: transfer request for a resident", method="post", json=True, url=lambda w: reverse("api:transfers-list"),
         data=lambda w: _transfer_payload(w), expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES),
         allow_status=(201,), secret=lambda w: "Filed for the owner", deny_status=_API_DENY),
    Case("care: acting-for page", url=lambda w: reverse("care:hub", args=[w.owner.pk]),
         # (name_zh: a former caregiver is told by name that they no longer act for the owner)
         expect=row(**_live_caregivers), secret=lambda w: w.owner.profile.name_zh, deny_status=_FORMER_CAREGIVER),
    Case("care: change a caregiver's rights page", url=lambda w: reverse("care:change", args=[w.obj("care_link").pk]),
         expect=_owner_only, secret=lambda w: w.caregiver.display_name, deny_status=_STRICT),
    Case("care: change a caregiver's rights (POST)", method="post",
         url=lambda w: reverse("care:change", args=[w.obj("care_link").pk]),
         data=lambda w: {"rights": ["vouchers", "voucher_code"]}, expect=_owner_only, allow_status=(302,),
         deny_status=_STRICT),
    Case("care: end a relationship (POST)", method="post",
         url=lambda w: reverse("care:revoke", args=[w.obj("care_link").pk]),
         # Either side may end it; the former caregivers hold other links.
         expect=row(owner=SEES, caregiver=SEES), allow_status=(302,), deny_status=_STRICT),
    Case("care: signed paper consent", prepare=_open_case,
         url=lambda w: reverse("care:paper_consent", args=[w.obj("recorded_care_link").pk]),
         expect=row(owner=SEES, centre_staff_with_consent=SEES), secret=lambda w: "secret-consent-7781",
         deny_status=_STRICT),
    Case("care: record a caregiver (centre staff)", prepare=_open_case,
         url=lambda w: reverse("care:record", args=[w.owner.pk]),
         expect=row(centre_staff_with_consent=SEES), secret=lambda w: w.owner.profile.name_en, deny_status=_STRICT),
    Case("API: care link detail", url=lambda w: reverse("api:care-links-detail", args=[w.obj("care_link").pk]),
         expect=row(owner=SEES, caregiver=SEES), secret=lambda w: w.caregiver.display_name,
         deny_status=_API_DENY),
    Case("API: change a care link", method="patch", json=True,
         url=lambda w: reverse("api:care-links-detail", args=[w.obj("care_link").pk]),
         data=lambda w: {"rights": ["vouchers", "voucher_code"]},
         # The caregiver reaches their own link but may not change it: 404 as for strangers.
         expect=_owner_only, secret=lambda w: w.caregiver.display_name, deny_status=_API_DENY),
    Case("API: end a care link", method="post", json=True,
         url=lambda w: reverse("api:care-links-revoke", args=[w.obj("care_link").pk]),
         expect=row(owner=SEES, caregiver=SEES), secret=lambda w: w.caregiver.display_name,
         deny_status=_API_DENY),
]


# --- Visits (issue 19): the visit guide, the health summary, documents from a visit -------
# "caregiver" holds the health summary right (tests/access/conftest.py);
# "caregiver_messages_only" is a live caregiver without it. Centre staff never see the
# summary, and see a document only when the owner shared it with their centre.

SECRET_ALLERGY = "Secret allergy: sulfonamides 6612"
SECRET_DOCUMENT = b"%PDF-1.4\n% secret-visit-report-8830\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _health_summary(w):
    from portal.visits import services

    return services.health_summary_save(actor=w.owner, resident=w.owner, connect_items=[],
                                        allergies=SECRET_ALLERGY, conditions="Hypertension")


def _visit_document(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.visits import services

    document = services.visit_document_add(
        actor=w.owner, appointment=w.obj("appointment"), kind="report",
        upload=SimpleUploadedFile("report.pdf", SECRET_DOCUMENT, content_type="application/pdf"))
    return services.visit_document_share(actor=w.owner, document=document, centre=w.centre)


OBJECTS.update({"health_summary": _health_summary, "visit_document": _visit_document})

_summary_keepers = row(owner=SEES, caregiver=SEES)

CASES += [
    # (the reference is in the URL, which a 404 page may echo: the hospital's name is the secret)
    Case("visit guide page", url=lambda w: reverse("visits:guide", args=[_ref(w)]),
         expect=_owner_only, secret=lambda w: str(w.hospital.name), deny_status=_STRICT),
    Case("visit guide for a resident (centre staff or caregiver)", prepare=_open_case,
         url=lambda w: reverse("visits:for_guide", args=[w.owner.pk, _ref(w)]),
         expect=row(centre_staff_with_consent=SEES, caregiver=SEES), secret=lambda w: str(w.hospital.name),
         deny_status=_FORMER_CAREGIVER),
    Case("health summary page", url=lambda w: (w.obj("health_summary"), reverse("visits:summary"))[1],
         expect=row(anonymous=DENY, default=OWN, owner=SEES), secret=lambda w: SECRET_ALLERGY),
    Case("health summary of a resident (caregiver)", prepare=_open_case,
         url=lambda w: (w.obj("health_summary"), reverse("visits:summary_for", args=[w.owner.pk]))[1],
         expect=_summary_keepers, secret=lambda w: SECRET_ALLERGY, deny_status=_FORMER_CAREGIVER),
    Case("health summary card of a resident (caregiver)", prepare=_open_case,
         url=lambda w: (w.obj("health_summary"), reverse("visits:summary_card_for", args=[w.owner.pk]))[1],
         expect=_summary_keepers, secret=lambda w: SECRET_ALLERGY, deny_status=_FORMER_CAREGIVER),
    Case("health summary change for a resident (POST, caregiver)", method="post",
         url=lambda w: (w.obj("health_summary"), reverse("visits:summary_for", args=[w.owner.pk]))[1],
         data=lambda w: {"allergies": "Changed", "show_allergies": "on"}, expect=_summary_keepers,
         allow_status=(302,), deny_status=_FORMER_CAREGIVER),
    Case("visit documents page", url=lambda w: (w.obj("visit_document"), reverse("visits:documents", args=[_ref(w)]))[1],
         expect=_owner_only, secret=lambda w: "report.pdf", deny_status=_STRICT),
    Case("visit documents of a resident (caregiver)",
         url=lambda w: (w.obj("visit_document"), reverse("visits:documents_for", args=[w.owner.pk, _ref(w)]))[1],
         expect=_summary_keepers, secret=lambda w: "report.pdf", deny_status=_FORMER_CAREGIVER),
    Case("visit document download", prepare=_open_case,
         url=lambda w: reverse("visits:document_download", args=[w.obj("visit_document").pk]),
         expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES),
         secret=lambda w: "secret-visit-report-8830", deny_status=_STRICT),
    Case("visit document share (POST)", method="post",
         url=lambda w: reverse("visits:document_share", args=[w.obj("visit_document").pk]),
         data=lambda w: {f"share-{w.obj('visit_document').pk}-centre": ""}, expect=_owner_only,
         allow_status=(302,), deny_status=_STRICT),
    Case("documents shared with a centre (centre staff)",
         url=lambda w: (w.obj("visit_document"), reverse("visits:shared_documents"))[1],
         expect=row(centre_staff_with_consent=SEES, centre_staff_without_consent=OWN), secret=lambda w: "report.pdf",
         deny_status=_STRICT),
]

CASES += [
    Case("API: health summary of a resident",
         url=lambda w: (w.obj("health_summary"), reverse("api:health-summary") + f"?resident={w.owner.pk}")[1],
         expect=_summary_keepers, secret=lambda w: SECRET_ALLERGY, deny_status=_API_DENY),
    Case("API: change the health summary of a resident", method="put", json=True,
         url=lambda w: (w.obj("health_summary"), reverse("api:health-summary") + f"?resident={w.owner.pk}")[1],
         data=lambda w: {"allergies": "Changed"}, expect=_summary_keepers, deny_status=_API_DENY),
    Case("API: visit documents of a resident",
         url=lambda w: (w.obj("visit_document"), reverse("api:visit-documents-list") + f"?resident={w.owner.pk}")[1],
         expect=_summary_keepers, secret=lambda w: "report.pdf", deny_status=_API_DENY),
    Case("API: visit document detail", prepare=_open_case,
         url=lambda w: reverse("api:visit-documents-detail", args=[w.obj("visit_document").pk]),
         expect=row(owner=SEES, caregiver=SEES, centre_staff_with_consent=SEES), secret=lambda w: "report.pdf",
         deny_status=_API_DENY),
]
