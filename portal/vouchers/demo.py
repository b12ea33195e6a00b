"""Demo vouchers: a year of DEMO exchange rates (a fixed, plausible rate, not
the scheme's published one), the demo resident's account with allotments, two
past claims at HKU-Shenzhen and one claim waiting for confirmation."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

ORDER = 60
DEMO_RATE = Decimal("1.08500")


def _months_back(today, count: int):
    month = today.replace(day=1)
    for _ in range(count):
        yield month
        month = (month - timedelta(days=1)).replace(day=1)


def load() -> str:
    from portal.accounts.models import User
    from portal.hospitals.models import Department, Hospital, Specialty

    from . import services
    from .models import Claim, ExchangeRate, LedgerEntry, VoucherAccount

    today = timezone.localdate()
    for month in _months_back(today, 12):
        ExchangeRate.objects.get_or_create(month=month, defaults={"hkd_per_rmb": DEMO_RATE,
                                                                  "source": "Demo rate (not the scheme's published rate)"})
    hospital = Hospital.objects.filter(slug="hku-szh").first()
    resident = User.objects.filter(email="resident@example.com").first()
    staff = User.objects.filter(email="hospital.admin@example.com").first()
    if hospital is None or resident is None or staff is None:
        return "exchange rates only"
    specialty, _created = Specialty.objects.get_or_create(
        code="general-practice", defaults={"name_en": "General practice", "name_zh_hant": "全科", "name_zh_hans": "全科"})
    department, _created = Department.objects.get_or_create(hospital=hospital, specialty=specialty)
    if not department.accepts_vouchers:
        department.accepts_vouchers = True
        department.save(update_fields=["accepts_vouchers"])
    account, _created = VoucherAccount.objects.get_or_create(user=resident)
    if not LedgerEntry.objects.filter(account=account).exists():
        for year in range(today.year - 3, today.year + 1):
            services.allotment_grant(account=account, year=year)
    if not Claim.objects.filter(account=account).exists():
        for days_ago, fee in ((75, Decimal("320.00")), (20, Decimal("185.50"))):
            claim, _code = services.claim_record(
                actor=staff, resident=resident, department=department, service_date=today - timedelta(days=days_ago),
                amount_rmb=fee)
            services.claim_confirm(actor=resident, claim_id=claim.pk)
        services.claim_record(actor=staff, resident=resident, department=department, service_date=today,
                              amount_rmb=Decimal("260.00"))
    balance = account.entries.order_by("-sequence").values_list("balance_after", flat=True).first()
    return (f"{ExchangeRate.objects.count()} exchange rates, voucher balance HK${balance} "
            f"(cap HK${settings.VOUCHER_ACCUMULATION_CAP_HKD}), 1 claim waiting for confirmation")
