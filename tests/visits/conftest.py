from datetime import timedelta

import pytest
from django.utils import timezone

from portal.visits.models import CrossingHours, CrossingRoute, HospitalVisitInfo
from tests import factories
from tests.appointments.factories import SlotFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def futian(db):
    return factories.BorderPointFactory(code="futian", name_en="Futian Port", name_zh_hant="福田口岸",
                                        name_zh_hans="福田口岸")


@pytest.fixture
def visit_facts(hospital, futian):
    """HKU-Shenzhen's published facts: payment and the shuttle from Futian."""
    hospital.is_voucher_point = True
    hospital.save(update_fields=["is_voucher_point"])
    HospitalVisitInfo.objects.create(
        hospital=hospital, wechat_pay="yes", alipay="yes", cash="yes",
        payment_note_en="Cash at the Hong Kong patients' counter.", payment_note_zh_hant="在香港病人櫃位付現金。",
        payment_note_zh_hans="在香港病人柜台付现金。", source_en="Reports", as_of="2026-12-01")
    CrossingRoute.objects.create(
        hospital=hospital, border_point=futian, transport_en="Shuttle bus every 30 minutes, free for 60+.",
        transport_zh_hant="穿梭巴士每30分鐘一班，60歲以上免費。", transport_zh_hans="接驳巴士每30分钟一班，60岁以上免费。",
        source_en="Shuttle report", as_of="2026-01-05")
    return hospital


@pytest.fixture
def department(visit_facts):
    return factories.DepartmentFactory(hospital=visit_facts, accepts_vouchers=True)


@pytest.fixture
def appointment(resident, department):
    from portal.appointments import services

    resident.profile.id_document_type = "hkid"
    resident.profile.id_document_number = "A1234563"
    resident.profile.travel_permit_number = "H99990000"
    resident.profile.save()
    slot = SlotFactory(department=department, capacity=3, starts_at=timezone.now() + timedelta(days=3))
    return services.appointment_book(actor=resident, resident=resident, slot_id=slot.pk, reason="Check-up",
                                     id_document="hkid")


@pytest.fixture
def hours(futian):
    return CrossingHours.objects.create(border_point=futian, opening_hours_en="06:30-22:30 (test figure)",
                                        source_en="Test source", as_of="2026-11-01")
