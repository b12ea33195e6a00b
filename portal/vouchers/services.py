"""Writes for vouchers: the claims made through the portal and their events.

The portal keeps no voucher balance (see registry.py): a confirmed claim is
submitted to the configured voucher registry, which takes the vouchers or
refuses; with no registry configured the confirmation records the resident's
consent and the service point makes the claim in the Department of Health's
system itself.

Lock order: the claim row, then (inside the registry) the registry's own rows.
"""

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.care.models import Right
from portal.core.columns import largest_decimal
from portal.core.formatting import money, when
from portal.hospitals.selectors import user_manages_hospital
from portal.notifications.services import context_value_mask, notify

from . import registry as registries
from . import rules
from .models import Claim, ClaimEvent, ExchangeRate, VoucherAccount

CODE_SALT = "portal.vouchers.claim-code"


def _link(user) -> str:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return reverse("vouchers:index")


def _place_names(user, claim: Claim) -> dict:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return {"service_point": str(claim.hospital.name), "department": str(claim.department.display_name)}


def _balance_context(user, registry, receipt: registries.Receipt | None) -> dict:
    """The balance after a claim or void, for a message: the figure with where it
    comes from and when, or nothing at all with no registry configured."""
    if receipt is None:
        return {"balance": "", "source": "", "as_of": ""}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        source = str(registry.name)
    return {"balance": receipt.balance.total_hkd, "source": source,
            "as_of": receipt.balance.as_of.isoformat()}


def _event(claim: Claim, kind: str, actor=None, note: str = "") -> None:
    ClaimEvent.objects.create(claim=claim, kind=kind, actor=actor, note=note[:200])


# --- The portal's file of a resident's claims ------------------------------------------


def account_open(*, user, today: date | None = None) -> VoucherAccount | None:
    """The resident's voucher file in the portal, opened on first need
    (idempotent); None if they are not eligible. It holds claims, no balance."""
    today = today or timezone.localdate()
    if not rules.eligibility(getattr(user, "profile", None), today).eligible:
        return None
    account = VoucherAccount.objects.filter(user=user).first()
    if account is None:
        try:
            with transaction.atomic():
                account = VoucherAccount.objects.create(user=user)
        except IntegrityError:  # opened by a concurrent request
            account = VoucherAccount.objects.get(user=user)
    return account


# --- Exchange rates ------------------------------------------------------------------


def rate_for(service_date: date) -> ExchangeRate:
    rate = ExchangeRate.objects.filter(month=service_date.replace(day=1)).first()
    if rate is None:
        raise ValidationError(
            _("There is no conversion rate for %(month)s yet. Ask a portal administrator to add it.")
            % {"month": when(service_date, "month")},
            code="no_rate",
        )
    return rate


# --- Claims --------------------------------------------------------------------------


# What the pending-claim message shows in place of its one-time code once the
# claim is no longer pending (confirmed, declined, voided or expired).
CODE_MASK = "••••••"


def _forget_code(claim: Claim) -> None:
    """The code is useless once the claim has left "pending": the portal's copy of
    the message that carried it (the inbox) keeps it masked from then on. Only
    the code's hash stays, on the claim."""
    context_value_mask(group_key=f"voucher-claim:{claim.pk}", event="vouchers_claim_pending", key="code",
                       mask=CODE_MASK)


def _hash_code(claim: Claim, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{claim.public_id}:{code.strip()}", algorithm="sha256").hexdigest()


def _appointment_for_claim(resident, department, service_date: date, reference: str):
    """The portal appointment a claim pays for, when the reference the cashier
    typed is one: it must be at this department on the service date, attended,
    and not already paid with vouchers. Any other reference (a hospital's own
    visit number, a walk-in) is kept as text only."""
    if not reference:
        return None
    from portal.appointments.models import Appointment

    appointment = (
        Appointment.objects.filter(reference__iexact=reference, resident=resident, slot__department=department)
        .select_related("slot").first()
    )
    if appointment is None:
        return None
    if timezone.localtime(appointment.starts_at).date() != service_date:
        raise ValidationError(_("The service date is not the date of that appointment."), code="appointment_date")
    if appointment.status != Appointment.Status.ATTENDED:
        raise ValidationError(
            _("Mark the appointment as attended before recording a voucher claim for it."), code="appointment_not_attended")
    if Claim.objects.filter(appointment=appointment, status__in=[Claim.Status.PENDING, Claim.Status.CONFIRMED]).exists():
        raise ValidationError(_("A voucher claim for this appointment already exists."), code="appointment_claimed")
    return appointment


def claim_record(*, actor, resident, department, service_date: date, amount_rmb: Decimal,
                 visit_reference: str = "", primary_care: bool = False,
                 now: datetime | None = None) -> tuple[Claim, str]:
    """A service point records a claim for an attended outpatient visit. Nothing
    is taken: the resident confirms first. Returns the claim and the one-time
    code (sent to the resident; only its hash is stored)."""
    now = now or timezone.now()
    hospital = department.hospital
    if not user_manages_hospital(actor, hospital.pk):
        raise PermissionError("Not an admin of this service point.")
    if not hospital.is_voucher_point:
        raise ValidationError(_("This hospital is not a voucher service point."), code="not_service_point")
    if not department.accepts_vouchers:
        raise ValidationError(_("This department is not designated for voucher use."), code="department")
    if service_date > timezone.localdate(now):
        raise ValidationError(_("The service date cannot be in the future: record a claim after the visit."), code="future")
    if hospital.voucher_since and service_date < hospital.voucher_since:
        raise ValidationError(_("The service point did not accept vouchers on that date."), code="before_since")
    if not rules.eligibility(getattr(resident, "profile", None), service_date).eligible:
        raise ValidationError(_("This person is not eligible for Elderly Health Care Vouchers on the service date."),
                              code="not_eligible")
    appointment = _appointment_for_claim(resident, department, service_date, visit_reference.strip())
    rate = rate_for(service_date)
    fee_hkd = rules.fee_in_hkd(amount_rmb, rate.hkd_per_rmb)
    largest = largest_decimal(Claim, "fee_hkd")
    if fee_hkd > largest:
        raise ValidationError(_("The fee is too large: a claim can be at most %(largest)s.")
                              % {"largest": money(largest)}, code="too_large")
    vouchers = rules.vouchers_for_fee(fee_hkd)
    if vouchers < 1:
        raise ValidationError(_("The fee is less than %(smallest)s: vouchers cannot be used for it.") % {"smallest": money(1)}, code="too_small")
    account = account_open(user=resident, today=timezone.localdate(now))
    if account is None:  # eligible on the service date, not today: cannot happen going forward in time
        raise ValidationError(_("This person is not eligible for Elderly Health Care Vouchers."), code="not_eligible")
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        claim = Claim(
            account=account, hospital=hospital, department=department, service_date=service_date,
            visit_reference=visit_reference.strip(), appointment=appointment, amount_rmb=amount_rmb,
            primary_care=primary_care, exchange_rate=rate, fee_hkd=fee_hkd,
            voucher_amount=vouchers, recorded_by=actor,
            expires_at=now + timedelta(hours=settings.VOUCHER_CLAIM_CONFIRM_HOURS),
        )
        claim.code_hash = _hash_code(claim, code)
        claim.save()
        _event(claim, ClaimEvent.Kind.RECORDED, actor)
        notify(recipient=resident, event="vouchers_claim_pending", link=_link(resident),
               group_key=f"voucher-claim:{claim.pk}",
               context={**_place_names(resident, claim), "amount": vouchers, "amount_rmb": str(amount_rmb),
                        "fee_hkd": str(fee_hkd), "rate": str(rate.hkd_per_rmb), "code": code,
                        "service_date": service_date.isoformat(),
                        "hours": settings.VOUCHER_CLAIM_CONFIRM_HOURS},
               # The code is the resident's to confirm with; a caregiver sees it
               # only if the resident let them pass it on (portal.care).
               withhold_from_copies={"code": Right.VOUCHER_CODE})
    return claim, code


def _holder(owner) -> registries.Holder:
    holder = registries.holder_of(owner)
    if holder is None:
        raise ValidationError(_("This person is not eligible for Elderly Health Care Vouchers."), code="not_eligible")
    return holder


def claim_confirm(*, actor, claim_id: int, code: str | None = None, now: datetime | None = None) -> Claim:
    """Confirm a pending claim. With a voucher registry configured the claim is
    submitted to it, which takes the vouchers or refuses (then nothing changes);
    without one the confirmation is the resident's consent, and the service
    point makes the claim in the Department of Health's system.

    The owner confirms in the portal (no code needed; a code, if given, is
    checked). An admin of the claim's service point may confirm only with the
    one-time code the resident received. Wrong codes are counted, and after
    VOUCHER_CODE_MAX_ATTEMPTS the code no longer works (the resident can still
    confirm in the portal)."""
    now = now or timezone.now()
    wrong_code = False
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).select_related(
            "hospital", "department__specialty", "account__user__profile").get(pk=claim_id)
        owner = claim.account.user
        is_owner = owner.pk == actor.pk
        if not is_owner and not user_manages_hospital(actor, claim.hospital_id):
            raise PermissionError("Not the owner or an admin of this service point.")
        if claim.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim is no longer waiting for confirmation."), code="not_pending")
        if claim.expires_at <= now:
            raise ValidationError(_("This claim has expired. Ask the service point to record it again."), code="expired")
        if code is not None or not is_owner:
            if claim.code_attempts >= settings.VOUCHER_CODE_MAX_ATTEMPTS:
                raise ValidationError(
                    _("Too many wrong codes. The resident can still confirm this claim in the portal."),
                    code="too_many_attempts")
            if not code or not constant_time_compare(_hash_code(claim, code), claim.code_hash):
                claim.code_attempts += 1
                claim.save(update_fields=["code_attempts"])
                wrong_code = True
        if not wrong_code:
            registry = registries.get_registry()
            receipt = None
            if registry is not None:
                receipt = registry.submit_claim(_holder(owner), amount_hkd=claim.voucher_amount,
                                                designated_primary_care=claim.primary_care,
                                                reference=str(claim.public_id))
                claim.registry_name = str(registry.name)[:100]
                claim.registry_reference = receipt.reference[:64]
                claim.paid_own_hkd, claim.paid_reward_hkd, claim.paid_spouse_hkd = (
                    receipt.own_hkd, receipt.reward_hkd, receipt.spouse_hkd)
            claim.status = Claim.Status.CONFIRMED
            claim.confirmed_at = now
            claim.confirmed_by = actor
            claim.confirmed_via = Claim.ConfirmedVia.CODE if code is not None else Claim.ConfirmedVia.PORTAL
            claim.save(update_fields=["status", "confirmed_at", "confirmed_by", "confirmed_via", "registry_name",
                                      "registry_reference", "paid_own_hkd", "paid_reward_hkd", "paid_spouse_hkd"])
            _event(claim, ClaimEvent.Kind.CONFIRMED, actor)
            if receipt is not None:
                _event(claim, ClaimEvent.Kind.SUBMITTED, actor, note=receipt.reference)
            _forget_code(claim)
            notify(recipient=owner, event="vouchers_claim_debited", link=_link(owner),
                   group_key=f"voucher-claim:{claim.pk}",
                   context={**_place_names(owner, claim), "amount": claim.voucher_amount,
                            "service_date": claim.service_date.isoformat(),
                            **_balance_context(owner, registry, receipt)})
    if wrong_code:  # the attempt was counted and committed above
        left = max(0, settings.VOUCHER_CODE_MAX_ATTEMPTS - claim.code_attempts)
        raise ValidationError(
            _("That code is not right. Attempts left: %(left)s.") % {"left": left}, code="wrong_code")
    return claim


def claim_reject(*, actor, claim_id: int, now: datetime | None = None) -> Claim:
    """The resident declines a claim they do not recognise. Nothing is taken."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).select_related("account").get(pk=claim_id)
        if claim.account.user_id != actor.pk:
            raise PermissionError("Only the resident may decline a claim.")
        if claim.status != Claim.Status.PENDING:
            raise ValidationError(_("This claim is no longer waiting for confirmation."), code="not_pending")
        claim.status = Claim.Status.REJECTED
        claim.closed_at = now or timezone.now()
        claim.closed_by = actor
        claim.save(update_fields=["status", "closed_at", "closed_by"])
        _event(claim, ClaimEvent.Kind.DECLINED, actor)
        _forget_code(claim)
    return claim


def void_deadline(claim: Claim) -> date | None:
    """Void rule: the service point that recorded a confirmed claim may void it
    until the end of the VOUCHER_VOID_WINDOW_DAYS-th day after it was confirmed
    (Hong Kong time). A pending claim may be voided at any time."""
    if claim.confirmed_at is None:
        return None
    return timezone.localdate(claim.confirmed_at) + timedelta(days=settings.VOUCHER_VOID_WINDOW_DAYS)


def claim_void(*, actor, claim_id: int, reason: str, now: datetime | None = None) -> Claim:
    """The service point voids its claim. A confirmed claim that was submitted to
    the voucher registry is voided there too, which gives the vouchers back."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Give a reason for voiding the claim."), code="reason")
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).select_related(
            "hospital", "department__specialty", "account__user__profile").get(pk=claim_id)
        if not user_manages_hospital(actor, claim.hospital_id):
            raise PermissionError("Not an admin of this service point.")
        if claim.status not in (Claim.Status.PENDING, Claim.Status.CONFIRMED):
            raise ValidationError(_("Only a pending or confirmed claim can be voided."), code="not_voidable")
        owner = claim.account.user
        if claim.status == Claim.Status.CONFIRMED:
            if timezone.localdate(now) > void_deadline(claim):
                raise ValidationError(
                    _("This claim can no longer be voided: the limit is %(days)s days after confirmation.")
                    % {"days": settings.VOUCHER_VOID_WINDOW_DAYS}, code="too_late")
            registry = registries.get_registry() if claim.registry_reference else None
            receipt = None
            if registry is not None:
                receipt = registry.void_claim(_holder(owner), reference=str(claim.public_id))
            notify(recipient=owner, event="vouchers_claim_voided", link=_link(owner),
                   group_key=f"voucher-claim:{claim.pk}",
                   context={**_place_names(owner, claim), "amount": claim.voucher_amount,
                            "service_date": claim.service_date.isoformat(),
                            **_balance_context(owner, registry, receipt)})
        claim.status = Claim.Status.VOIDED
        claim.closed_at = now
        claim.closed_by = actor
        claim.void_reason = reason.strip()[:200]
        claim.save(update_fields=["status", "closed_at", "closed_by", "void_reason"])
        _event(claim, ClaimEvent.Kind.VOIDED, actor, note=claim.void_reason)
        _forget_code(claim)
    return claim


def claims_expire(*, now: datetime | None = None) -> int:
    """Expire pending claims past their deadline (the beat task). Each claim is
    claimed with a conditional update, so two sweeps never notify twice."""
    now = now or timezone.now()
    expired = 0
    due = Claim.objects.filter(status=Claim.Status.PENDING, expires_at__lte=now).values_list("pk", flat=True)
    for claim_id in list(due):
        with transaction.atomic():
            won = Claim.objects.filter(pk=claim_id, status=Claim.Status.PENDING, expires_at__lte=now).update(
                status=Claim.Status.EXPIRED, closed_at=now)
            if not won:
                continue
            claim = Claim.objects.select_related("account__user", "hospital", "department__specialty").get(pk=claim_id)
            _event(claim, ClaimEvent.Kind.EXPIRED)
            _forget_code(claim)
            owner = claim.account.user
            notify(recipient=owner, event="vouchers_claim_expired", link=_link(owner),
                   group_key=f"voucher-claim:{claim.pk}",
                   context={**_place_names(owner, claim), "amount": claim.voucher_amount,
                            "service_date": claim.service_date.isoformat()})
            expired += 1
    return expired
