"""Recording, confirming (portal and one-time code), declining, expiring and voiding
claims; with no voucher registry (the portal records consent only) and with the
simulator (the claim is submitted to it)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.notifications.models import Notification
from portal.vouchers import services
from portal.vouchers.models import Claim, ClaimEvent, SimulatedTransaction, VoucherAccount


def record(admin, elder, department, rmb="100.00", **kwargs):
    return services.claim_record(actor=admin, resident=elder, department=department,
                                 service_date=kwargs.pop("service_date", timezone.localdate()),
                                 amount_rmb=Decimal(rmb), **kwargs)


@pytest.fixture
def claim_and_code(hospital_admin, elder, department, rates):
    return record(hospital_admin, elder, department)


def test_recording_opens_the_file_converts_the_fee_and_takes_nothing(claim_and_code, elder, simulator):
    claim, code = claim_and_code
    assert (claim.status, claim.fee_hkd, claim.voucher_amount) == (Claim.Status.PENDING, Decimal("108.50"), 108)
    assert claim.exchange_rate.month == claim.service_date.replace(day=1)
    assert VoucherAccount.objects.filter(user=elder).exists()
    assert not SimulatedTransaction.objects.exists()  # nothing submitted yet
    assert list(claim.events.values_list("kind", flat=True)) == ["recorded"]
    assert code not in claim.code_hash and len(claim.code_hash) == 64
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_pending")
    assert code in message.body and "108" in message.body


def test_claim_uses_the_rate_of_the_service_dates_month(hospital_admin, elder, department, rates):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1))
    rates[1].hkd_per_rmb = Decimal("1.20000")
    rates[1].save()
    claim, _ = record(hospital_admin, elder, department, service_date=last_month)
    assert claim.exchange_rate == rates[1] and claim.fee_hkd == Decimal("120.00")


def test_no_rate_for_the_month_is_a_clear_error(hospital_admin, elder, department):
    with pytest.raises(ValidationError, match="no conversion rate"):
        record(hospital_admin, elder, department)
    assert not Claim.objects.exists()


@pytest.mark.parametrize(("change", "message"), [
    ("department", "not designated"),
    ("future", "cannot be in the future"),
    ("young", "not eligible"),
    ("tiny", "less than HK\\$1"),
])
def test_recording_refuses_what_the_scheme_does_not_cover(change, message, hospital_admin, elder, department, rates):
    kwargs = {}
    rmb = "100.00"
    if change == "department":
        department.accepts_vouchers = False
        department.save()
    elif change == "future":
        kwargs["service_date"] = timezone.localdate() + timedelta(days=1)
    elif change == "young":
        elder.profile.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 60)
        elder.profile.save()
    elif change == "tiny":
        rmb = "0.50"
    with pytest.raises(ValidationError, match=message):
        record(hospital_admin, elder, department, rmb=rmb, **kwargs)
    assert not Claim.objects.exists()


def test_only_admins_of_the_service_point_record_claims(other_hospital_admin, elder, department, rates):
    with pytest.raises(PermissionError):
        record(other_hospital_admin, elder, department)


def test_owner_confirms_and_the_claim_is_submitted_to_the_registry(claim_and_code, elder, simulator):
    claim, _code = claim_and_code
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED and claim.confirmed_via == "portal"
    assert claim.registry_name == "Voucher system simulator" and claim.registry_reference.startswith("SIM-")
    assert (claim.paid_own_hkd, claim.paid_reward_hkd, claim.paid_spouse_hkd) == (108, 0, 0)
    submitted = SimulatedTransaction.objects.get(kind="claim", reference=str(claim.public_id))
    assert submitted.own_hkd == -108
    assert list(claim.events.values_list("kind", flat=True)) == ["recorded", "confirmed", "submitted"]
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_debited")
    # Born 1954: every year since 2019 up to the HK$8,000 cap, less this claim.
    assert "HK$7,892 (from Voucher system simulator, as of " in message.body


def test_without_a_registry_confirmation_records_consent_and_claims_no_balance(claim_and_code, elder, no_registry):
    claim, _code = claim_and_code
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED and claim.registry_name == "" and claim.registry_reference == ""
    assert list(claim.events.values_list("kind", flat=True)) == ["recorded", "confirmed"]
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_debited")
    assert "eHealth app" in message.body and "balance is now" not in message.body
    assert not SimulatedTransaction.objects.exists()


def test_service_point_confirms_with_the_right_code(claim_and_code, hospital_admin):
    claim, code = claim_and_code
    services.claim_confirm(actor=hospital_admin, claim_id=claim.pk, code=code)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED and claim.confirmed_via == "code"


def test_wrong_codes_are_counted_and_lock_the_code_after_the_limit(claim_and_code, hospital_admin, elder, settings):
    claim, code = claim_and_code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in range(settings.VOUCHER_CODE_MAX_ATTEMPTS - 1, -1, -1):
        with pytest.raises(ValidationError, match=f"Attempts left: {left}"):
            services.claim_confirm(actor=hospital_admin, claim_id=claim.pk, code=wrong)
    with pytest.raises(ValidationError, match="Too many wrong codes"):
        services.claim_confirm(actor=hospital_admin, claim_id=claim.pk, code=code)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING and claim.code_attempts == settings.VOUCHER_CODE_MAX_ATTEMPTS
    assert not claim.events.filter(kind=ClaimEvent.Kind.CONFIRMED).exists()
    # The resident can still confirm in the portal.
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED


def test_staff_cannot_confirm_without_a_code(claim_and_code, hospital_admin):
    claim, _code = claim_and_code
    with pytest.raises(ValidationError, match="not right"):
        services.claim_confirm(actor=hospital_admin, claim_id=claim.pk)


def test_strangers_and_other_service_points_cannot_confirm(claim_and_code, other_resident, other_hospital_admin):
    claim, code = claim_and_code
    for actor in (other_resident, other_hospital_admin):
        with pytest.raises(PermissionError):
            services.claim_confirm(actor=actor, claim_id=claim.pk, code=code)


def test_not_enough_vouchers_in_the_registry_writes_nothing(hospital_admin, elder, department, rates, simulator):
    claim, _ = record(hospital_admin, elder, department, rmb="8000.00")  # HK$8,680 > HK$8,000
    with pytest.raises(ValidationError, match="Not enough vouchers: this claim needs HK\\$8,680 and Voucher system "
                                              "simulator shows HK\\$8,000 available"):
        services.claim_confirm(actor=elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING and claim.registry_reference == ""
    assert not SimulatedTransaction.objects.exists() and claim.events.count() == 1
    assert not Notification.objects.filter(event="vouchers_claim_debited").exists()


def test_a_certificate_of_exemption_holder_uses_vouchers(hospital_admin, coe_elder, department, rates, simulator):
    claim, _ = record(hospital_admin, coe_elder, department)
    services.claim_confirm(actor=coe_elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED and claim.paid_own_hkd == 108
    assert simulator.balance(services.registries.holder_of(coe_elder)).own_hkd == 8000 - 108


def test_a_primary_care_claim_counts_toward_the_reward(hospital_admin, elder, department, rates, simulator):
    claim, _ = record(hospital_admin, elder, department, rmb="1000.00", primary_care=True)  # HK$1,085
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    status = simulator.reward_status(services.registries.holder_of(elder))
    assert status.granted_this_year and status.designated_spent_hkd == 1085


def test_owner_declines(claim_and_code, elder):
    claim, _ = claim_and_code
    services.claim_reject(actor=elder, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.claim_confirm(actor=elder, claim_id=claim.pk)


def test_unconfirmed_claims_expire(claim_and_code, elder, settings):
    claim, code = claim_and_code
    later = timezone.now() + timedelta(hours=settings.VOUCHER_CLAIM_CONFIRM_HOURS, seconds=1)
    with pytest.raises(ValidationError, match="expired"):
        services.claim_confirm(actor=elder, claim_id=claim.pk, now=later)
    assert services.claims_expire(now=timezone.now()) == 0
    assert services.claims_expire(now=later) == 1
    assert services.claims_expire(now=later) == 0  # a second sweep notifies nobody twice
    claim.refresh_from_db()
    assert claim.status == Claim.Status.EXPIRED
    assert Notification.objects.filter(recipient=elder, event="vouchers_claim_expired").count() == 1
    assert list(claim.events.values_list("kind", flat=True)) == ["recorded", "expired"]


def test_expiry_task_runs_the_service(claim_and_code, settings):
    from portal.vouchers.tasks import expire_claims

    claim, _ = claim_and_code
    Claim.objects.filter(pk=claim.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_claims.delay().get() == 1


def test_void_of_a_confirmed_claim_gives_the_vouchers_back_in_the_registry(claim_and_code, elder, hospital_admin,
                                                                            simulator):
    claim, _ = claim_and_code
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="Charged twice")
    assert simulator.balance(services.registries.holder_of(elder)).own_hkd == 8000
    assert SimulatedTransaction.objects.get(kind="void", reference=str(claim.public_id)).own_hkd == 108
    voided = claim.events.get(kind="voided")
    assert (voided.actor, voided.note) == (hospital_admin, "Charged twice")
    message = Notification.objects.get(recipient=elder, event="vouchers_claim_voided")
    assert "HK$8,000 (from Voucher system simulator" in message.body
    with pytest.raises(ValidationError, match="Only a pending or confirmed"):
        services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="again")


def test_void_of_a_pending_claim_submits_nothing(claim_and_code, hospital_admin, simulator):
    claim, _ = claim_and_code
    services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="Wrong patient")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VOIDED and not SimulatedTransaction.objects.exists()


def test_void_window_and_scope(claim_and_code, elder, hospital_admin, other_hospital_admin, settings):
    claim, _ = claim_and_code
    services.claim_confirm(actor=elder, claim_id=claim.pk)
    with pytest.raises(PermissionError):
        services.claim_void(actor=other_hospital_admin, claim_id=claim.pk, reason="x")
    with pytest.raises(ValidationError, match="reason"):
        services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason=" ")
    too_late = timezone.now() + timedelta(days=settings.VOUCHER_VOID_WINDOW_DAYS + 1)
    with pytest.raises(ValidationError, match="no longer be voided"):
        services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="late", now=too_late)
    last_day = timezone.now() + timedelta(days=settings.VOUCHER_VOID_WINDOW_DAYS)
    services.claim_void(actor=hospital_admin, claim_id=claim.pk, reason="in time", now=last_day)


def test_code_is_six_digits_and_stored_only_as_a_hash(claim_and_code):
    claim, code = claim_and_code
    assert re.fullmatch(r"\d{6}", code)
    stored = Claim.objects.filter(pk=claim.pk).values()[0]
    assert code not in " ".join(str(value) for value in stored.values())
