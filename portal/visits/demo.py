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
