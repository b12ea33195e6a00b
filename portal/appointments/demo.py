"""Demo schedules, slots for the next four weeks and one booking for the demo resident."""

from datetime import time, timedelta

from django.utils import timezone

from portal.hospitals.models import Department, Hospital, Specialty

from . import services
from .models import Appointment, BookingSettings, SessionTemplate, Slot

ORDER = 60

SPECIALTIES = {
    "general-practice": ("General practice", "全科", "全科"),
    "cardiology": ("Cardiology", "心臟科", "心脏科"),
    "ophthalmology": ("Ophthalmology", "眼科", "眼科"),
    "orthopaedics": ("Orthopaedics", "骨科", "骨科"),
}

# hospital slug -> approximate coordinates (only used if the hospital has none),
# departments: (specialty, accepts vouchers, [(weekday, start, end, minutes, capacity, doctor)])
PLAN = {
    "hku-szh": ((22.527, 114.013), [
        ("general-practice", True, [(day, time(9), time(12), 30, 3, "") for day in range(5)]),
        ("cardiology", True, [(1, time(14), time(17), 30, 2, "Dr CHEUNG Wing"), (3, time(14), time(17), 30, 2, "Dr CHEUNG Wing")]),
        ("ophthalmology", False, [(2, time(9), time(12), 20, 2, "")]),
    ]),
    "zhuhai-peoples": ((22.277, 113.561), [
        ("general-practice", True, [(day, time(8, 30), time(11, 30), 30, 2, "") for day in range(6)]),
        ("orthopaedics", False, [(0, time(14), time(16), 30, 1, ""), (4, time(14), time(16), 30, 1, "")]),
    ]),
    "zhongshan-chenxinghai": ((22.516, 113.392), [
        ("general-practice", True, [(day, time(9), time(12), 30, 2, "") for day in (0, 2, 4)]),
    ]),
}


def load() -> str:
    specialties = {}
    for code, (en, hant, hans) in SPECIALTIES.items():
        specialties[code], _created = Specialty.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_zh_hant": hant, "name_zh_hans": hans}
        )
    today = timezone.localdate()
    for slug, ((lat, lon), departments) in PLAN.items():
        hospital = Hospital.objects.filter(slug=slug).first()
        if hospital is None:
            continue
        if hospital.latitude is None:
            hospital.latitude, hospital.longitude = lat, lon
            hospital.save(update_fields=["latitude", "longitude"])
        BookingSettings.objects.get_or_create(hospital=hospital)
        for code, vouchers, sessions in departments:
            department, _created = Department.objects.get_or_create(
                hospital=hospital, specialty=specialties[code],
                defaults={"accepts_vouchers": vouchers and hospital.is_voucher_point},
            )
            for weekday, start, end, minutes, capacity, doctor in sessions:
                SessionTemplate.objects.get_or_create(
                    department=department, weekday=weekday, start_time=start,
                    defaults={"end_time": end, "slot_minutes": minutes, "capacity": capacity,
                              "doctor_name": doctor, "valid_from": today},
                )
    created = services.slots_generate(days=28, today=today)
    booked = _book_for_demo_resident()
    return f"{SessionTemplate.objects.count()} session templates, {created} new slots, {booked} demo booking(s)"


def _book_for_demo_resident() -> int:
    from portal.accounts.models import User

    resident = User.objects.filter(email="resident@example.com").select_related("profile").first()
    if resident is None or Appointment.objects.filter(resident=resident, status=Appointment.Status.BOOKED).exists():
        return 0
    slot = (
        Slot.objects.filter(department__hospital__slug="hku-szh", department__specialty__code="general-practice",
                            starts_at__gte=timezone.now() + timedelta(days=3), is_blocked=False)
        .order_by("starts_at").first()
    )
    if slot is None:
        return 0
    documents = dict(services.documents_available(resident))
    services.appointment_book(
        actor=resident, resident=resident, slot_id=slot.pk, reason="血壓覆診",
        id_document="hkid" if "hkid" in documents else next(iter(documents)), pay_with_vouchers=True,
    )
    return 1
