"""The Connect API's SQL (portal/medicines/search_sql.py) gives the same entries, in the
same order and with the same totals, as the ORM reference (selectors.item_search),
for every filter, language and page, on SQLite locally and on PostgreSQL in CI."""

import itertools
from datetime import date

import pytest
from django.utils import translation

from portal.medicines.search_sql import item_result_rows
from portal.medicines.selectors import ITEM_VALUES, ItemFilters, item_list_entries, item_search
from tests import factories
from tests.hospitals.factories import (
    ConnectItemFactory,
    ItemApprovalFactory,
    TherapeuticAreaFactory,
)

NAMES = [("Lorlatinib", "勞拉替尼", "劳拉替尼"), ("Lorla", "勞拉", "劳拉"), ("Coronary stent", "冠狀動脈支架", "冠状动脉支架"),
         ("Alectinib", "阿來替尼", "阿来替尼"), ("Insulin 100%_pen", "胰島素筆", "胰岛素笔")]


@pytest.fixture
def items(db):
    areas = [TherapeuticAreaFactory(code="oncology"), TherapeuticAreaFactory(code="cardiology", name_en="Cardiology")]
    hospitals = [factories.HospitalFactory() for _ in range(3)]
    for index in range(30):
        en, hant, hans = NAMES[index % len(NAMES)]
        suffix = f" {index // len(NAMES)}" if index >= len(NAMES) else ""
        item = ConnectItemFactory(
            slug=f"i-{index:02d}", generic_name_en=en + suffix, generic_name_zh_hant=hant + suffix.strip(),
            generic_name_zh_hans="" if index % 7 == 0 else hans + suffix.strip(),  # falls back to zh-hant
            kind="device" if index % 3 == 0 else "drug", status="suspended" if index % 8 == 0 else "listed",
            therapeutic_area=areas[index % 2], approval_date=date(2024, 1, 1 + index % 28) if index % 2 else None)
        for hospital in hospitals[: index % 4]:
            ItemApprovalFactory(item=item, hospital=hospital)


FILTERS = [ItemFilters(), ItemFilters(q="lorla"), ItemFilters(q="Lorlatinib"), ItemFilters(q="替尼"),
           ItemFilters(q="劳拉"), ItemFilters(q="100%_"), ItemFilters(kind="device"), ItemFilters(status="suspended"),
           ItemFilters(q="tinib", therapeutic_area="oncology"), ItemFilters(q="stent", kind="drug"),
           ItemFilters(q="nothing like it")]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f.cache_parts()))
def test_same_entries_order_and_total_as_the_orm(items, filters):
    for language, (offset, limit) in itertools.product(("en", "zh-hant", "zh-hans"), ((0, 20), (20, 20), (3, 4))):
        with translation.override(language):
            expected = item_list_entries(list(item_search(filters).values(*ITEM_VALUES)[offset : offset + limit]))
            rows = item_result_rows(filters, language, offset, limit)
            assert item_list_entries(rows) == expected, (language, offset)
        total = item_search(filters).count()
        assert all(row["result_total"] == total for row in rows)


def test_the_filters_narrow_the_result(items):
    totals = {f.cache_parts(): item_search(f).count() for f in FILTERS}
    assert totals[ItemFilters().cache_parts()] == 30
    assert totals[ItemFilters(q="nothing like it").cache_parts()] == 0
    assert len(set(totals.values())) >= 6


def test_api_pages_and_counts(client, items):
    first = client.get("/api/v1/medicines/", {"search": "tinib", "lang": "en"}).json()
    assert first["count"] == item_search(ItemFilters(q="tinib")).count() > 0
    everything = client.get("/api/v1/medicines/", {"page": 2}).json()
    assert everything["count"] == 30 and len(everything["results"]) == 10 and everything["next"] is None
    assert client.get("/api/v1/medicines/", {"page": 3}).status_code == 404
    assert client.get("/api/v1/medicines/", {"page": "last"}).json()["results"] == everything["results"]
