"""Demo vouchers: the published service-point facts and Macao's schemes (from
portal/vouchers/data), a year of DEMO exchange rates (a fixed, plausible rate,
not the scheme's published one), and the demo resident's claims at HKU-Shenzhen:
two confirmed and one waiting for confirmation. HKU-Shenzhen's general practice
department is designated for vouchers here for the demo (its published list of
designated departments is not in our sources).

With the voucher system simulator configured (`make run`), the confirmed claims
go to the simulator, which also gets a claim made at a clinic in Hong Kong and a
spouse link, so that its balance is visibly not the portal's own record (and, with the
demo's first claim, HK$1,000 of designated primary care: this year's reward). It runs
before the appointments demo (ORDER 55 < 60), whose booking pays with vouchers."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

ORDER = 55
DEMO_RATE = Decimal("1.08500")
DEMO_RATE_SOURCE = {"source_en": "Demo rate (not the scheme's published rate)",
                    "source_zh_hant": "示範兌換率（並非計劃公佈的兌換率）",
                    "source_zh_hans": "示范汇率（并非计划公布的汇率）"}
DEMO_SPOUSE = ("hkid", "C668668(9)")  # has no portal account: a spouse known only to the voucher system


def _months_back(today, count: int):
    month = today.replace(day=1)
    for _ in range(count):
        yield month
        month = (month - timedelta(days=1)).replace(day=1)


def _simulator_extras(resident, today) -> str:
    from . import registry as registries
    from .simulator import SimulatedVoucherRegistry

    registry = registries.get_registry()
    if not isinstance(registry, SimulatedVoucherRegistry):
        return "no voucher registry configured: the portal shows no balance"
    holder = registries.holder_of(resident)
    if holder is None:
        return ""
    if registry.spouse_link(holder) is None:
        spouse = registries.Holder(*DEMO_SPOUSE, date_of_birth=holder.date_of_birth.replace(year=1953))
        registry.link_spouses(holder, spouse, on=today)
        registry.submit_claim(holder, amount_hkd=700, designated_primary_care=True,
                              reference="demo: a family doctor in Hong Kong", on=today)
    balance = registry.balance(holder)
    return f"balance from the voucher system simulator HK${balance.total_hkd:,} (not a real balance)"


def load() -> str:
    from portal.accounts.models import User
    from portal.hospitals.models import Department, Hospital, Specialty

    from . import reference, services
    from .models import Claim, ExchangeRate

    points = reference.load_service_points()
    schemes, places = reference.load_macao()
    today = timezone.localdate()
    for month in _months_back(today, 12):
        ExchangeRate.objects.update_or_create(month=month, defaults={"hkd_per_rmb": DEMO_RATE, **DEMO_RATE_SOURCE})
    summary = (f"{points} service points' published facts, {schemes} Macao schemes, {places} places for Macao "
               f"vouchers, {ExchangeRate.objects.count()} exchange rates")
    hospital = Hospital.objects.filter(slug="hku-szh").first()
    resident = User.objects.filter(email="resident@example.com").first()
    staff = User.objects.filter(email="hospital.admin@example.com").first()
    if hospital is None or resident is None or staff is None:
        return summary
    specialty, _created = Specialty.objects.get_or_create(
        code="general-practice", defaults={"name_en": "General practice", "name_zh_hant": "全科", "name_zh_hans": "全科"})
    department, _created = Department.objects.get_or_create(hospital=hospital, specialty=specialty)
    if not department.accepts_vouchers:
        department.accepts_vouchers = True
        department.save(update_fields=["accepts_vouchers"])
    if not Claim.objects.filter(account__user=resident).exists():
        for days_ago, fee, primary_care in ((75, Decimal("320.00"), True), (20, Decimal("185.50"), False)):
            claim, _code = services.claim_record(
                actor=staff, resident=resident, department=department, service_date=today - timedelta(days=days_ago),
                amount_rmb=fee, primary_care=primary_care)
            services.claim_confirm(actor=resident, claim_id=claim.pk)
        services.claim_record(actor=staff, resident=resident, department=department, service_date=today,
                              amount_rmb=Decimal("260.00"))
    extras = _simulator_extras(resident, today)
    return f"{summary}, 2 confirmed claims and 1 waiting for confirmation; {extras}".rstrip("; ")
