"""Reads for vouchers, each scoped to the requesting user, with fixed query counts.

Balances come only from the configured voucher registry (registry.py); the
portal's own records are the claims made through it."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import identity
from portal.accounts.models import Profile, User
from portal.core.formatting import money, when
from portal.hospitals.models import Department, Hospital
from portal.hospitals.selectors import hospital_ids_managed_by

from . import registry as registries
from . import rules
from .models import Claim, MacaoScheme, MacaoVoucherPlace, VoucherAccount


def eligibility_for(user, on: date | None = None) -> rules.Eligibility:
    return rules.eligibility(getattr(user, "profile", None), on or timezone.localdate())


def account_of(user) -> VoucherAccount | None:
    if not user.is_authenticated:
        return None
    return VoucherAccount.objects.filter(user=user).first()


@dataclass(frozen=True)
class RegistryView:
    """What the voucher system says about a resident, for a page: nothing at all
    when no registry is configured (then `registry` is None)."""

    registry: registries.VoucherRegistry | None
    balance: registries.Balance | None = None
    reward: registries.RewardStatus | None = None
    spouse: registries.SpouseLink | None = None
    history: tuple[registries.HistoryItem, ...] = ()
    error: str = ""

    @property
    def source(self) -> str:
        return str(self.registry.name) if self.registry is not None else ""

    @property
    def is_simulator(self) -> bool:
        return bool(self.registry is not None and self.registry.is_simulator)


def registry_view(user, *, with_history: int = 0) -> RegistryView:
    """The balance, reward and spouse link of an eligible resident from the
    configured registry. Not eligible or no registry: no figures."""
    registry = registries.get_registry()
    holder = registries.holder_of(user) if user.is_authenticated else None
    if registry is None or holder is None or not eligibility_for(user).eligible:
        return RegistryView(registry=registry)
    try:
        return RegistryView(
            registry=registry, balance=registry.balance(holder), reward=registry.reward_status(holder),
            spouse=registry.spouse_link(holder),
            history=tuple(registry.history(holder, limit=with_history)) if with_history else (),
        )
    except ValidationError as error:  # RegistryUnavailable or a refusal: say so, show no figure
        return RegistryView(registry=registry, error=" ".join(error.messages))


def claims_of(account: VoucherAccount, *, year: int | None = None, status: str = "",
              hospital_id: int | None = None) -> QuerySet[Claim]:
    """The claims made through the portal, newest first."""
    claims = account.claims.select_related("hospital", "department__specialty", "exchange_rate").order_by(
        "-created_at", "-id")
    if year:
        claims = claims.filter(service_date__year=year)
    if status:
        claims = claims.filter(status=status)
    if hospital_id:
        claims = claims.filter(hospital_id=hospital_id)
    return claims


def claim_years(account: VoucherAccount) -> list[int]:
    return sorted({d.year for d in account.claims.dates("service_date", "year")}, reverse=True)


def claim_hospitals(account: VoucherAccount) -> QuerySet[Hospital]:
    return Hospital.objects.filter(id__in=account.claims.values("hospital_id")).order_by("slug")


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
    """Find a resident by e-mail, or by the number of a document the voucher
    scheme accepts: a Hong Kong identity card or a Certificate of Exemption
    (normalised, so spaces and brackets do not matter)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier).select_related("profile").first()
    candidates = []
    for document_type in (identity.HKID, identity.CERTIFICATE_OF_EXEMPTION):
        try:
            candidates.append((document_type, identity.normalise(document_type, identifier)))
        except ValidationError:
            continue
    for document_type, number in candidates:
        profile = Profile.objects.filter(id_document_type=document_type, id_document_number=number).select_related(
            "user").first()
        if profile is not None:
            return profile.user
    return None


# --- Service points ------------------------------------------------------------------------


def service_points() -> QuerySet[Hospital]:
    return Hospital.objects.filter(is_voucher_point=True, is_active=True).select_related(
        "city", "voucher_service_point").order_by("city__sort_order", "city__code", "voucher_since", "slug")


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
    balance: int | None  # from the registry, with its name in `reason`; None when not known


def visit_payable_with_vouchers(user, department: Department, on: date | None = None) -> VoucherPayability:
    """Whether a visit to `department` can be paid (in part) with this user's
    vouchers, and why not. Called by the appointments app at booking. The
    balance is the configured registry's; with none, none is claimed."""
    on = on or timezone.localdate()
    hospital = department.hospital
    if not (hospital.is_voucher_point and department.accepts_vouchers):
        return VoucherPayability(False, _("This department does not accept Elderly Health Care Vouchers."), None)
    if not user.is_authenticated:
        return VoucherPayability(False, _("Sign in to check whether you can use vouchers."), None)
    check = eligibility_for(user, on)
    if not check.eligible:
        return VoucherPayability(False, check.message, None)
    view = registry_view(user)
    if view.balance is None:
        return VoucherPayability(True, _(
            "You can pay for this outpatient visit with vouchers. Check your balance in the eHealth app; "
            "using vouchers in the Greater Bay Area requires eHealth enrolment."), None)
    balance = view.balance.total_hkd + (view.balance.spouse_hkd or 0)
    as_of = when(view.balance.as_of)
    if balance < 1:
        return VoucherPayability(False, _(
            "You can use vouchers here, but %(source)s shows %(zero)s available (as of %(as_of)s).")
            % {"source": view.source, "as_of": as_of, "zero": money(0)}, 0)
    return VoucherPayability(True, _(
        "You can pay for this outpatient visit with vouchers: %(source)s shows %(balance)s available "
        "(as of %(as_of)s).") % {"source": view.source, "balance": money(balance), "as_of": as_of}, balance)


# --- Macao residents -------------------------------------------------------------------------


def macao_page() -> dict:
    """Macao's schemes and the places for Macao's medical vouchers, in two queries."""
    schemes = {scheme.code: scheme for scheme in MacaoScheme.objects.all()}
    places = list(MacaoVoucherPlace.objects.filter(is_active=True).select_related("hospital__city").order_by(
        "vouchers", "slug"))
    return {
        "medical_subsidy": schemes.get(MacaoScheme.Code.MEDICAL_SUBSIDY),
        "insurance_subsidy": schemes.get(MacaoScheme.Code.INSURANCE_SUBSIDY),
        "places": places,
        "today": timezone.localdate(),
    }
