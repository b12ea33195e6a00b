"""Reads for vouchers, each scoped to the requesting user, with fixed query counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import identity
from portal.accounts.models import Profile, User
from portal.hospitals.models import Department, Hospital
from portal.hospitals.selectors import hospital_ids_managed_by

from . import rules
from .models import Claim, LedgerEntry, VoucherAccount


def eligibility_for(user, on: date | None = None) -> rules.Eligibility:
    return rules.eligibility(getattr(user, "profile", None), on or timezone.localdate())


def account_of(user) -> VoucherAccount | None:
    if not user.is_authenticated:
        return None
    return VoucherAccount.objects.filter(user=user).first()


def balance_of(account: VoucherAccount | None) -> int:
    """The balance is the running total after the latest ledger entry."""
    if account is None:
        return 0
    latest = account.entries.order_by("-sequence").values_list("balance_after", flat=True).first()
    return latest or 0


def allotment_of(account: VoucherAccount | None, year: int) -> LedgerEntry | None:
    if account is None:
        return None
    return account.entries.filter(kind=LedgerEntry.Kind.ALLOTMENT, allotment_year=year).first()


def ledger_entries(account: VoucherAccount, *, year: int | None = None, kind: str = "",
                   hospital_id: int | None = None) -> QuerySet[LedgerEntry]:
    entries = account.entries.select_related(
        "hospital", "department__specialty", "exchange_rate", "claim",
    ).order_by("-sequence")
    if year:
        entries = entries.filter(created_at__year=year)
    if kind:
        entries = entries.filter(kind=kind)
    if hospital_id:
        entries = entries.filter(hospital_id=hospital_id)
    return entries


def ledger_years(account: VoucherAccount) -> list[int]:
    return sorted({d.year for d in account.entries.dates("created_at", "year")}, reverse=True)


def ledger_hospitals(account: VoucherAccount) -> QuerySet[Hospital]:
    return Hospital.objects.filter(id__in=account.entries.exclude(hospital=None).values("hospital_id")).order_by("slug")


def pending_claims_for(user) -> QuerySet[Claim]:
    return Claim.objects.filter(
        account__user=user, status=Claim.Status.PENDING, expires_at__gt=timezone.now(),
    ).select_related("hospital", "department__specialty", "exchange_rate").order_by("created_at")


def claim_for_owner(user, claim_id: int) -> Claim:
    """The resident's own claim, or 404."""
    claim = Claim.objects.filter(pk=claim_id, account__user=user).select_related("hospital", "department").first()
    if claim is None or not user.is_authenticated:
        raise Http404
    return claim


# --- Service-point staff ---------------------------------------------------------------


def claims_at_service_points(user) -> QuerySet[Claim]:
    return Claim.objects.filter(hospital_id__in=hospital_ids_managed_by(user)).select_related(
        "account__user__profile", "hospital", "department__specialty", "exchange_rate",
    )


def claim_for_service_point(user, claim_id: int) -> Claim:
    claim = claims_at_service_points(user).filter(pk=claim_id).first()
    if claim is None:
        raise Http404
    return claim


def voucher_departments_for(user) -> QuerySet[Department]:
    """Departments where this admin may record claims."""
    return Department.objects.filter(
        hospital_id__in=hospital_ids_managed_by(user), hospital__is_voucher_point=True, accepts_vouchers=True,
    ).select_related("hospital", "specialty").order_by("hospital__slug", "specialty__code")


def is_service_point_staff(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Hospital.objects.filter(memberships__user=user, is_voucher_point=True).exists()
    )


def find_resident(identifier: str) -> User | None:
    """Find a resident by e-mail or Hong Kong identity card number (normalised)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).select_related("profile").first()
    try:
        number = identity.normalise_hkid(identifier)
    except Exception:  # noqa: BLE001 - not an HKID: nobody found
        return None
    profile = Profile.objects.filter(
        id_document_type=Profile.DocumentType.HKID, id_document_number=number,
    ).select_related("user").first()
    return profile.user if profile else None


# --- Service points ------------------------------------------------------------------------


def service_points() -> QuerySet[Hospital]:
    return Hospital.objects.filter(is_voucher_point=True, is_active=True).select_related("city").order_by(
        "city__sort_order", "city__code", "voucher_since", "slug")


def service_points_by_city() -> list[tuple]:
    groups: dict = {}
    for hospital in service_points():
        groups.setdefault(hospital.city, []).append(hospital)
    return list(groups.items())


# --- For the appointments app ----------------------------------------------------------------


@dataclass(frozen=True)
class VoucherPayability:
    payable: bool
    reason: str
    balance: int


def visit_payable_with_vouchers(user, department: Department, on: date | None = None) -> VoucherPayability:
    """Whether a visit to `department` can be paid (in part) with this user's
    vouchers, and why not. Called by the appointments app at booking."""
    on = on or timezone.localdate()
    hospital = department.hospital
    if not (hospital.is_voucher_point and department.accepts_vouchers):
        return VoucherPayability(False, _("This department does not accept Elderly Health Care Vouchers."), 0)
    if not user.is_authenticated:
        return VoucherPayability(False, _("Sign in to check whether you can use vouchers."), 0)
    check = eligibility_for(user, on)
    if not check.eligible:
        return VoucherPayability(False, check.message, 0)
    account = account_of(user)
    # No account yet: it opens (with this year's allotment) on first use.
    balance = balance_of(account) if account is not None else rules.allotment_credit(0)
    if balance < 1:
        return VoucherPayability(False, _("You can use vouchers here, but your balance is HK$0."), 0)
    return VoucherPayability(
        True, _("You can pay for this outpatient visit with vouchers (balance HK$%(balance)s).") % {"balance": balance},
        balance)
