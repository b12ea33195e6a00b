"""A synthetic data set for the benchmarks: `factor` times the real institutions
as hospitals (with departments) and `factor` times the real Connect items (with
approvals). Slugs start with "synthetic-" so they never mix with real records.
Names come from word lists in the three languages (Traditional and Simplified
differ), so searches are as selective as on real names. Idempotent: only
missing rows are added. Load the demo data first (cities, specialties and
therapeutic areas come from there)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from portal.hospitals.demo import approximate_position
from portal.hospitals.models import City, Department, Hospital, Specialty
from portal.hospitals.search import build_key, hospital_search_key
from portal.hospitals.services import search_data_changed
from portal.medicines.models import ConnectItem, ItemApproval, TherapeuticArea

PREFIX = "synthetic-"
REAL_HOSPITALS = 65
REAL_ITEMS = 18

PLACES = [
    ("Futian", "福田", "福田"), ("Nanshan", "南山", "南山"), ("Luohu", "羅湖", "罗湖"), ("Bao'an", "寶安", "宝安"),
    ("Longgang", "龍崗", "龙岗"), ("Yuexiu", "越秀", "越秀"), ("Tianhe", "天河", "天河"), ("Haizhu", "海珠", "海珠"),
    ("Panyu", "番禺", "番禺"), ("Baiyun", "白雲", "白云"), ("Huangpu", "黃埔", "黄埔"), ("Huadu", "花都", "花都"),
    ("Nansha", "南沙", "南沙"), ("Xiangzhou", "香洲", "香洲"), ("Doumen", "斗門", "斗门"), ("Jinwan", "金灣", "金湾"),
    ("Chancheng", "禪城", "禅城"), ("Shunde", "順德", "顺德"), ("Nanhai", "南海", "南海"), ("Huicheng", "惠城", "惠城"),
    ("Guancheng", "莞城", "莞城"), ("Songshan Lake", "松山湖", "松山湖"), ("Shiqi", "石岐", "石岐"),
    ("Pengjiang", "蓬江", "蓬江"), ("Duanzhou", "端州", "端州"), ("Qianhai", "前海", "前海"),
    ("Hengqin", "橫琴", "横琴"), ("Longhua", "龍華", "龙华"), ("Pingshan", "坪山", "坪山"), ("Guangming", "光明", "光明"),
]
KINDS = [
    ("People's Hospital", "人民醫院", "人民医院"), ("Hospital of Chinese Medicine", "中醫院", "中医院"),
    ("Maternal and Child Health Hospital", "婦幼保健院", "妇幼保健院"), ("Eye Hospital", "眼科醫院", "眼科医院"),
    ("Stomatological Hospital", "口腔醫院", "口腔医院"), ("Cancer Hospital", "腫瘤醫院", "肿瘤医院"),
    ("Central Hospital", "中心醫院", "中心医院"), ("Rehabilitation Hospital", "康復醫院", "康复医院"),
    ("Community Health Centre", "社區健康服務中心", "社区健康服务中心"),
    ("International Hospital", "國際醫院", "国际医院"), ("Orthopaedic Hospital", "骨科醫院", "骨科医院"),
    ("Children's Hospital", "兒童醫院", "儿童医院"),
]
SYLLABLES = [
    ("a", "阿", "阿"), ("bel", "貝", "贝"), ("cor", "科", "科"), ("dar", "達", "达"), ("el", "艾", "艾"),
    ("fen", "芬", "芬"), ("gal", "加", "加"), ("lor", "勞", "劳"), ("mo", "莫", "莫"), ("ne", "尼", "尼"),
    ("ra", "拉", "拉"), ("sil", "西", "西"), ("tu", "圖", "图"), ("vo", "沃", "沃"), ("zen", "贊", "赞"),
    ("qui", "奎", "奎"), ("pha", "法", "法"), ("ken", "肯", "肯"),
]
DRUG_SUFFIXES = [("tinib", "替尼", "替尼"), ("mab", "單抗", "单抗"), ("statin", "他汀", "他汀"),
                 ("pril", "普利", "普利"), ("sartan", "沙坦", "沙坦"), ("cillin", "西林", "西林")]
DEVICES = [("stent", "支架", "支架"), ("catheter", "導管", "导管"), ("implant", "植入體", "植入体"),
           ("infusion pump", "輸液泵", "输液泵"), ("heart valve", "心臟瓣膜", "心脏瓣膜"),
           ("sound processor", "聲音處理器", "声音处理器")]
SPECIALTY_SETS = [
    ["general-practice", "internal-medicine", "surgery"], ["ophthalmology"], ["dentistry"],
    ["oncology", "internal-medicine"], ["obstetrics-gynaecology", "paediatrics"],
    ["chinese-medicine", "rehabilitation", "internal-medicine"], ["cardiology", "neurology", "emergency"],
]


def _item_name(index: int) -> tuple[str, str, str, str]:
    """A made-up drug or device name in three languages, unique for each index."""
    n = len(SYLLABLES)
    first, second, third = SYLLABLES[index % n], SYLLABLES[(index // n) % n], SYLLABLES[(index // n // n) % n]
    if index % 3 == 2:
        device = DEVICES[(index // 3) % len(DEVICES)]
        en = f"{(first[0] + second[0] + third[0]).capitalize()} {device[0]}"
        return ("device", en, first[1] + second[1] + third[1] + device[1], first[2] + second[2] + third[2] + device[2])
    suffix = DRUG_SUFFIXES[(index // 3) % len(DRUG_SUFFIXES)]
    en = (first[0] + second[0] + third[0] + suffix[0]).capitalize()
    return ("drug", en, first[1] + second[1] + third[1] + suffix[1], first[2] + second[2] + third[2] + suffix[2])


@transaction.atomic
def generate(factor: int) -> str:
    """Add the missing synthetic rows; returns a line saying what was added."""
    cities = list(City.objects.filter(region="mainland").order_by("sort_order"))
    specialties = {specialty.code: specialty for specialty in Specialty.objects.all()}
    areas = list(TherapeuticArea.objects.order_by("code"))
    if not cities or not specialties or not areas:
        raise RuntimeError("Load the demo data first (manage.py load_demo_data).")
    hospitals_wanted = factor * REAL_HOSPITALS
    items_wanted = factor * REAL_ITEMS
    existing = set(Hospital.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    new_hospitals = []
    for index in range(hospitals_wanted):
        slug = f"{PREFIX}h{index:06d}"
        if slug in existing:
            continue
        city = cities[index % len(cities)]
        place = PLACES[(index // len(cities)) % len(PLACES)]
        kind = KINDS[(index // (len(cities) * len(PLACES))) % len(KINDS)]
        branch = index // (len(cities) * len(PLACES) * len(KINDS)) + 1
        suffix = ("", "", "") if branch == 1 else (f" Branch {branch}", f"第{branch}分院", f"第{branch}分院")
        latitude, longitude = approximate_position(city, slug)
        hospital = Hospital(
            slug=slug, city=city, district=place[0], latitude=latitude, longitude=longitude,
            name_en=f"{city.name_en} {place[0]} {kind[0]}{suffix[0]}",
            name_zh_hant=f"{city.name_zh_hant}{place[1]}{kind[1]}{suffix[1]}",
            name_zh_hans=f"{city.name_zh_hans}{place[2]}{kind[2]}{suffix[2]}",
            is_connect_designated=index % 5 < 2, is_voucher_point=index % 7 == 0,
            ambulance_role="sending" if index % 97 == 0 else "",
            has_hk_style_gp=index % 11 == 0, accepts_insurance=index % 4 == 0,
            speaks_cantonese=index % 3 != 0, speaks_english=index % 6 == 0, speaks_portuguese=index % 50 == 0,
            notes="Synthetic record for benchmarks.",
        )
        hospital.search_key = hospital_search_key(hospital)
        new_hospitals.append(hospital)
    Hospital.objects.bulk_create(new_hospitals, batch_size=1000)
    departments = []
    for hospital in new_hospitals:
        index = int(hospital.slug.removeprefix(f"{PREFIX}h"))
        for code in SPECIALTY_SETS[index % len(SPECIALTY_SETS)]:
            departments.append(Department(hospital=hospital, specialty=specialties[code],
                                          accepts_vouchers=hospital.is_voucher_point and index % 2 == 0))
    Department.objects.bulk_create(departments, batch_size=2000, ignore_conflicts=True)

    existing_items = set(ConnectItem.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    new_items = []
    for index in range(items_wanted):
        slug = f"{PREFIX}i{index:06d}"
        if slug in existing_items:
            continue
        kind, en, hant, hans = _item_name(index)
        item = ConnectItem(
            slug=slug, kind=kind, generic_name_en=en, generic_name_zh_hant=hant, generic_name_zh_hans=hans,
            indication_en="Synthetic indication for benchmarks.", therapeutic_area=areas[index % len(areas)],
            hk_registration_no=f"HK-{60000 + index}", approval_date=date(2021, 4, 1) + timedelta(days=index % 1600),
            status="delisted" if index % 23 == 0 else "listed", source_note="Synthetic record for benchmarks.",
        )
        item.search_key = build_key([en, hant, hans, item.hk_registration_no])
        new_items.append(item)
    ConnectItem.objects.bulk_create(new_items, batch_size=1000)
    designated = list(Hospital.objects.filter(slug__startswith=PREFIX, is_connect_designated=True)
                      .order_by("slug").values_list("id", flat=True))
    approvals = []
    for item in new_items:
        index = int(item.slug.removeprefix(f"{PREFIX}i"))
        for step in range(1 + index % 4):
            approvals.append(ItemApproval(item=item, hospital_id=designated[(index * 7 + step * 131) % len(designated)],
                                          approved_on=item.approval_date + timedelta(days=step * 30)))
    ItemApproval.objects.bulk_create(approvals, batch_size=2000, ignore_conflicts=True)
    search_data_changed()
    return (f"Added {len(new_hospitals)} hospitals, {len(departments)} departments, {len(new_items)} items, "
            f"{len(approvals)} approvals (factor {factor}; {Hospital.objects.count()} hospitals in all).")

