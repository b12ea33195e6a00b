"""Visit facts for the demo (portal/visits/data/*.csv, from FACTS.md): what is
published for HKU-Shenzhen Hospital (how to pay, the shuttle from Futian Port).
Nothing else is known, and the guide says so. Created once, then kept in the admin."""

import csv
from pathlib import Path

from portal.hospitals.models import BorderPoint, Hospital

from .models import CrossingRoute, HospitalVisitInfo

ORDER = 15  # after hospitals (10)
DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _translated(row: dict, *fields: str) -> dict:
    return {f"{field}_{code}": row[f"{field}_{code}"] for field in fields for code in ("en", "zh_hant", "zh_hans")}


def load() -> str:
    hospitals = {hospital.slug: hospital for hospital in Hospital.objects.all()}
    points = {point.code: point for point in BorderPoint.objects.all()}
    for row in _rows("hospital_visit_info.csv"):
        if row["hospital"] in hospitals:
            HospitalVisitInfo.objects.get_or_create(hospital=hospitals[row["hospital"]], defaults={
                **_translated(row, "patients_counter", "payment_note", "source"),
                "wechat_pay": row["wechat_pay"], "alipay": row["alipay"], "cash": row["cash"], "as_of": row["as_of"]})
    for row in _rows("crossing_routes.csv"):
        if row["hospital"] in hospitals and row["border_point"] in points:
            CrossingRoute.objects.get_or_create(
                hospital=hospitals[row["hospital"]], border_point=points[row["border_point"]],
                defaults={**_translated(row, "transport", "walking", "source"), "as_of": row["as_of"]})
    return f"{HospitalVisitInfo.objects.count()} hospitals' visit facts, {CrossingRoute.objects.count()} crossing routes"


def load_late() -> str:
    """The demo resident's health summary (a Connect drug and free text), kept
    through the service as a resident would."""
    from portal.accounts.models import User
    from portal.medicines.models import ConnectItem

    from .models import HealthSummary
    from .services import health_summary_save

    resident = User.objects.filter(email="resident@example.com").first()
    if resident is None or HealthSummary.objects.filter(resident=resident).exists():
        return ""
    health_summary_save(
        actor=resident, resident=resident, connect_items=list(ConnectItem.objects.filter(slug="lorlatinib")),
        other_medicines="Amlodipine 5 mg, once a day", allergies="Penicillin: rash",
        conditions="High blood pressure", emergency_contact_name="CHAN Siu Fan",
        emergency_contact_phone="+85291234567")
    return "1 health summary (the demo resident)"
