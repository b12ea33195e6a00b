"""Reference data shipped with the project (portal/hospitals/data/*.csv, copied
from public sources; see docs/domain/FACTS.md)."""

import csv
import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from .models import BorderPoint, City, DatePrecision, Department, Hospital, HospitalAlias, Specialty
from .services import search_data_changed

ORDER = 10
DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _translated(row: dict, field: str = "name") -> dict:
    return {f"{field}_en": row[f"{field}_en"], f"{field}_zh_hant": row[f"{field}_zh_hant"], f"{field}_zh_hans": row[f"{field}_zh_hans"]}


def _parse_since(value: str) -> tuple[date | None, str]:
    """"2025-08-21", "2025-08" or "2025" -> (the first day it may be, the precision
    published): a year alone is never given an invented month."""
    parts = [int(part) for part in value.split("-") if part.isdigit()]
    if not parts:
        return None, DatePrecision.DAY
    precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH}.get(len(parts), DatePrecision.DAY)
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1), precision


# The specialties shown in filters, in the three languages.
SPECIALTIES = [
    ("general-practice", "General practice", "普通科", "全科"),
    ("internal-medicine", "Internal medicine", "內科", "内科"),
    ("surgery", "Surgery", "外科", "外科"),
    ("orthopaedics", "Orthopaedics", "骨科", "骨科"),
    ("obstetrics-gynaecology", "Obstetrics and gynaecology", "婦產科", "妇产科"),
    ("paediatrics", "Paediatrics", "兒科", "儿科"),
    ("ophthalmology", "Ophthalmology", "眼科", "眼科"),
    ("dentistry", "Dentistry", "牙科", "口腔科"),
    ("oncology", "Oncology", "腫瘤科", "肿瘤科"),
    ("cardiology", "Cardiology", "心臟科", "心血管内科"),
    ("chinese-medicine", "Chinese medicine", "中醫科", "中医科"),
    ("rehabilitation", "Rehabilitation", "復康科", "康复医学科"),
    ("otorhinolaryngology", "Ear, nose and throat", "耳鼻喉科", "耳鼻咽喉科"),
    ("neurology", "Neurology", "腦神經科", "神经内科"),
    ("emergency", "Accident and emergency", "急症科", "急诊科"),
]

ENGLISH_SPEAKING = {"hku-szh", "guangzhou-ufh", "sz-new-frontier-ufh", "clifford", "gdd-hospital", "qianhai-taikang",
                    "bauhinia-dental", "tuen-mun", "pmh", "qeh", "chcsj"}
HK_STYLE_GP = {"hku-szh", "gdd-hospital", "hku-szh-huawei"}
INSURANCE = {"hku-szh", "guangzhou-ufh", "sz-new-frontier-ufh", "clifford", "gdd-hospital", "qianhai-taikang",
             "bauhinia-dental", "ckj-dental"}
APPROXIMATE_NOTE = "Coordinates approximate: city centre plus a fixed offset; replace with the real location."


def specialties_for(slug: str, notes: str) -> list[str]:
    """A few departments per institution, chosen from what the source says it is."""
    text = f"{slug} {notes}".lower()
    if "eye" in text or "cmer" in text or slug == "zoc":
        return ["ophthalmology"]
    if "dental" in text:
        return ["dentistry"]
    if "cancer" in text or "sysucc" in slug:
        return ["oncology", "internal-medicine", "surgery"]
    if "women" in slug or "mch" in slug:
        return ["obstetrics-gynaecology", "paediatrics"]
    if "tcm" in slug or "chinese medicine" in text:
        return ["chinese-medicine", "internal-medicine", "rehabilitation"]
    if "brain" in slug:
        return ["neurology", "internal-medicine"]
    return ["general-practice", "internal-medicine", "surgery", "orthopaedics", "cardiology"]


def approximate_position(city: City, slug: str) -> tuple[Decimal, Decimal]:
    """The city centre moved by a small offset derived from the slug (stable between runs)."""
    digest = hashlib.sha256(slug.encode()).digest()
    lat_offset = (digest[0] / 255 - 0.5) * 0.12
    lon_offset = (digest[1] / 255 - 0.5) * 0.12
    return (Decimal(str(round(float(city.latitude) + lat_offset, 5))),
            Decimal(str(round(float(city.longitude) + lon_offset, 5))))


def load() -> str:
    for order, row in enumerate(read_csv("cities.csv")):
        City.objects.update_or_create(
            code=row["code"],
            defaults={**_translated(row), "region": row["region"], "latitude": row["lat_approx"],
                      "longitude": row["lon_approx"], "sort_order": order},
        )
    for row in read_csv("border_points.csv"):
        BorderPoint.objects.update_or_create(
            code=row["code"],
            defaults={**_translated(row), "connects": row["connects"], "latitude": row["lat_approx"],
                      "longitude": row["lon_approx"], "notes": row["notes"]},
        )
    for code, name_en, name_zh_hant, name_zh_hans in SPECIALTIES:
        Specialty.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_zh_hant": name_zh_hant, "name_zh_hans": name_zh_hans}
        )
    specialties = {specialty.code: specialty for specialty in Specialty.objects.all()}
    cities = {city.code: city for city in City.objects.all()}
    # District names in the three languages (institutions.csv names them in English).
    districts = {row["en"]: {"district_en": row["en"], "district_zh_hant": row["zh_hant"],
                             "district_zh_hans": row["zh_hans"]} for row in read_csv("districts.csv")}
    for row in read_csv("institutions.csv"):
        ambulance = row["ambulance"].split(":")[0]
        city = cities[row["city"]]
        latitude, longitude = approximate_position(city, row["slug"])
        notes = "; ".join(part for part in (row["notes"], APPROXIMATE_NOTE) if part)
        voucher_since, since_precision = _parse_since(row["voucher_since"])
        hospital, _created = Hospital.objects.update_or_create(
            slug=row["slug"],
            defaults={
                **_translated(row), "city": cities[row["city"]],
                **districts.get(row["district"], {"district_en": row["district"]}),
                "connect_batch": row["connect_batch"], "is_connect_designated": bool(row["connect_batch"]),
                "voucher_since": voucher_since, "voucher_since_precision": since_precision,
                "is_voucher_point": bool(row["voucher_since"]),
                "ambulance_role": ambulance, "notes": notes, "latitude": latitude, "longitude": longitude,
                "speaks_cantonese": row["region"] != "mainland" or row["city"] in {"shenzhen", "guangzhou", "zhuhai"},
                "speaks_english": row["slug"] in ENGLISH_SPEAKING,
                "speaks_portuguese": row["region"] == "macao",
                "has_hk_style_gp": row["slug"] in HK_STYLE_GP,
                "accepts_insurance": row["slug"] in INSURANCE,
                "is_active": not row["notes"].startswith("closed"),
            },
        )
        if row["region"] != "mainland":
            continue
        # Which departments take vouchers differs per service point and is mostly
        # not published: none is marked here (the published facts are in
        # portal/vouchers/data/service_points.csv; hospital admins mark departments).
        for code in specialties_for(row["slug"], row["notes"]):
            Department.objects.get_or_create(hospital=hospital, specialty=specialties[code])
    for row in read_csv("hospital_aliases.csv"):
        HospitalAlias.objects.get_or_create(hospital=Hospital.objects.get(slug=row["hospital"]), name=row["alias"])
    search_data_changed()
    return (f"{City.objects.count()} cities, {BorderPoint.objects.count()} border points, "
            f"{Specialty.objects.count()} specialties, {Hospital.objects.count()} hospitals, "
            f"{Department.objects.count()} departments")
