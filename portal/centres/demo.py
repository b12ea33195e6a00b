from portal.hospitals.models import City, Hospital

from .models import ServiceCentre

ORDER = 20

CENTRES = [
    {
        "slug": "gz-huangpu",
        "name_en": "HK-Macao Residents (Guangzhou) Health Service Centre",
        "name_zh_hant": "港澳居民（廣州）健康服務中心",
        "name_zh_hans": "港澳居民（广州）健康服务中心",
        "address_en": "Guangzhou Development District Hospital, Huangpu, Guangzhou",
        "address_zh_hant": "廣州市黃埔區廣州開發區醫院",
        "address_zh_hans": "广州市黄埔区广州开发区医院",
        "city": "guangzhou",
        "hospital": "gdd-hospital",
    },
    {
        "slug": "dg-peoples",
        "name_en": "HK-Macao Residents' Health Service Centre, Dongguan People's Hospital",
        "name_zh_hant": "東莞市人民醫院港澳居民健康服務中心",
        "name_zh_hans": "东莞市人民医院港澳居民健康服务中心",
        "address_en": "Dongguan People's Hospital, Dongguan",
        "address_zh_hant": "東莞市人民醫院",
        "address_zh_hans": "东莞市人民医院",
        "city": "dongguan",
        "hospital": "dg-peoples",
    },
]


def load() -> str:
    for row in CENTRES:
        data = dict(row)
        data["city"] = City.objects.get(code=data["city"])
        data["hospital"] = Hospital.objects.filter(slug=data["hospital"]).first()
        ServiceCentre.objects.update_or_create(slug=data.pop("slug"), defaults=data)
    return f"{ServiceCentre.objects.count()} service centres"


def load_late() -> str:
    """Case activity for the demo resident at gz-huangpu: it needs the demo users,
    which accounts' loader (ORDER 30) creates, so it runs after every load()."""
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from portal.accounts.models import User

    from .models import (
        AccessLogEntry,
        AccessReason,
        AccessWhat,
        CaseNote,
        ClaimEvent,
        EscortRequest,
        InsuranceClaim,
    )

    centre = ServiceCentre.objects.get(slug="gz-huangpu")
    resident = User.objects.get(email="resident@example.com")
    staff = User.objects.get(email="centre.staff@example.com")
    hospital = Hospital.objects.filter(slug="gdd-hospital").first() or Hospital.objects.order_by("slug").first()
    CaseNote.objects.get_or_create(
        centre=centre, resident=resident, author=staff,
        body="Prefers Cantonese. Daughter (in Hong Kong) helps with paperwork; call her if Mr Chan cannot be reached.",
    )
    if not EscortRequest.objects.filter(resident=resident, centre=centre, appointment_reference="DEMO-0001").exists():
        visit_day = timezone.localdate() + timedelta(days=3)
        EscortRequest.objects.create(
            resident=resident, centre=centre, language="yue", hospital=hospital,
            visit_at=timezone.make_aware(datetime.combine(visit_day, time(9, 30))),
            appointment_reference="DEMO-0001", notes="Follow-up visit, cardiology.", requested_by=resident,
            status=EscortRequest.Status.ASSIGNED, assigned_to=staff, assigned_by=staff,
        )
    claim, created = InsuranceClaim.objects.get_or_create(
        resident=resident, centre=centre, policy_number="HK-PL-20240917",
        defaults={"visit_date": timezone.localdate() - timedelta(days=20), "hospital": hospital,
                  "insurer": "Pearl River Health Insurance", "amount": Decimal("1280.00"),
                  "currency": "CNY", "created_by": staff},
    )
    if created:
        ClaimEvent.objects.create(claim=claim, from_status="", to_status=claim.status, actor=staff)
    if not AccessLogEntry.objects.filter(resident=resident, centre=centre).exists():
        AccessLogEntry.objects.create(actor=staff, centre=centre, resident=resident, what=AccessWhat.CASE,
                                      why=AccessReason.CLAIM)
    return "1 case note, 1 escort, 1 insurance claim for the demo resident"
