"""Reference data shipped with the project (portal/vouchers/data/*.csv, copied
from public sources; see docs/domain/FACTS.md): the published facts about the
voucher service points, Macao's schemes and the places for Macao's medical
vouchers. Loaded by the demo loader; editable in the admin afterwards."""

import csv
from datetime import date
from pathlib import Path

from portal.hospitals.models import Hospital
from portal.hospitals.services import search_data_changed

from .models import MacaoScheme, MacaoVoucherPlace, ServicePoint

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "zh_hant", "zh_hans")


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _translated(row: dict, *fields: str) -> dict:
    return {f"{field}_{language}": row[f"{field}_{language}"] for field in fields for language in LANGUAGES}


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def load_service_points() -> int:
    hospitals = {hospital.slug: hospital for hospital in Hospital.objects.filter(
        slug__in=[row["slug"] for row in read_csv("service_points.csv")])}
    loaded = 0
    for row in read_csv("service_points.csv"):
        hospital = hospitals.get(row["slug"])
        if hospital is None:
            continue
        ServicePoint.objects.update_or_create(hospital=hospital, defaults={
            **_translated(row, "departments_note", "source"),
            "departments_count": int(row["departments_count"]) if row["departments_count"] else None,
            "source_url": row["source_url"], "as_of": _date(row["as_of"]),
        })
        loaded += 1
    return loaded


def load_macao() -> tuple[int, int]:
    for row in read_csv("macao_schemes.csv"):
        MacaoScheme.objects.update_or_create(code=row["code"], defaults={
            **_translated(row, "name", "summary", "conditions", "how_to", "family_transfer", "what_to_bring",
                          "where_to_apply", "source"),
            "amount_mop": int(row["amount_mop"]), "valid_from": _date(row["valid_from"]),
            "valid_until": _date(row["valid_until"]), "source_url": row["source_url"], "as_of": _date(row["as_of"]),
        })
    places = read_csv("macao_voucher_places.csv")
    hospitals = {h.slug: h for h in Hospital.objects.filter(slug__in=[row["hospital"] for row in places if row["hospital"]])}
    for row in places:
        MacaoVoucherPlace.objects.update_or_create(slug=row["slug"], defaults={
            **_translated(row, "name", "area", "address", "notes", "source"),
            "vouchers": row["vouchers"], "hospital": hospitals.get(row["hospital"]), "source_url": row["source_url"],
            "as_of": _date(row["as_of"]),
        })
    search_data_changed()  # the hospital search's "Macao medical vouchers" programme
    return MacaoScheme.objects.count(), MacaoVoucherPlace.objects.count()
