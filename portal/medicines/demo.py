"""The real Connect items reported in public sources (portal/medicines/data/connect_items.csv),
loaded through the same import service as the admin's CSV import."""

import csv
from pathlib import Path

from portal.hospitals.services import search_data_changed

from .models import ConnectItem, ConnectItemAlias, ItemApproval, TherapeuticArea
from .services import connect_items_import

ORDER = 15  # after hospitals (10): approvals point at institutions
DATA_DIR = Path(__file__).resolve().parent / "data"

THERAPEUTIC_AREAS = [
    ("cardiology", "Cardiology", "心臟科", "心血管科"),
    ("emergency-medicine", "Emergency medicine", "急症醫學", "急诊医学"),
    ("gastroenterology", "Gastroenterology", "腸胃科", "消化内科"),
    ("neurology", "Neurology", "腦神經科", "神经内科"),
    ("obstetrics", "Obstetrics", "產科", "产科"),
    ("oncology", "Oncology", "腫瘤科", "肿瘤科"),
    ("ophthalmology", "Ophthalmology", "眼科", "眼科"),
    ("orthopaedics", "Orthopaedics", "骨科", "骨科"),
    ("otorhinolaryngology", "Ear, nose and throat", "耳鼻喉科", "耳鼻咽喉科"),
    ("urology", "Urology", "泌尿科", "泌尿外科"),
]


def load_areas() -> None:
    for code, name_en, name_zh_hant, name_zh_hans in THERAPEUTIC_AREAS:
        TherapeuticArea.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_zh_hant": name_zh_hant, "name_zh_hans": name_zh_hans}
        )


def load() -> str:
    load_areas()
    result = connect_items_import(actor=None, file=(DATA_DIR / "connect_items.csv").read_text(encoding="utf-8"))
    if not result.ok:
        raise ValueError("; ".join(f"line {error.line}: {error.message}" for error in result.errors))
    # Brand and other names people search by (Leqvio for inclisiran).
    with open(DATA_DIR / "item_aliases.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ConnectItemAlias.objects.get_or_create(item=ConnectItem.objects.get(slug=row["item"]), name=row["alias"])
    search_data_changed()
    return f"{ConnectItem.objects.count()} Connect items, {ItemApproval.objects.count()} approvals"
