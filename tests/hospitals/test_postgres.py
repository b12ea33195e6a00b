"""Search on PostgreSQL: the same behaviour, and the trigram index answers it."""

import pytest
from django.db import connection

from portal.hospitals.models import HospitalAlias
from portal.hospitals.search import narrow_page
from portal.hospitals.selectors import (
    HospitalFilters,
    hospital_search,
    ranked_hospitals,
    search_options,
)
from portal.medicines.selectors import ItemFilters, item_search, ranked_items
from tests import factories
from tests.hospitals.factories import ConnectItemFactory

pytestmark = pytest.mark.postgres


@pytest.fixture
def hospitals(db):
    factories.HospitalFactory(slug="trad", name_en="Alpha Clinic", name_zh_hant="瑪嘉烈醫院", name_zh_hans="甲乙丙")
    factories.HospitalFactory(slug="simp", name_en="Beta Clinic", name_zh_hant="丁戊己", name_zh_hans="屯门医院")
    factories.HospitalFactory(slug="exact", name_en="Eye Hospital")
    factories.HospitalFactory(slug="prefix", name_en="Eye Hospital of Zhuhai")
    factories.HospitalFactory(slug="contains", name_en="Big Eye Hospital")
    # An alias is part of the same search key, so the same index answers it.
    HospitalAlias.objects.create(hospital=factories.HospitalFactory(slug="hku-szh"), name="港大深圳")


def slugs(filters):
    return [hospital.slug for hospital in hospital_search(filters).rows]


def test_cross_script_both_ways(hospitals):
    assert slugs(HospitalFilters(q="玛嘉烈")) == ["trad"]
    assert slugs(HospitalFilters(q="屯門醫院")) == ["simp"]
    assert slugs(HospitalFilters(q="嘉")) == ["trad"]


def test_english_partial_and_ranking(hospitals):
    assert slugs(HospitalFilters(q="eye hospital")) == ["exact", "prefix", "contains"]
    assert slugs(HospitalFilters(q="alph")) == ["trad"]


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # The tables are tiny here, so the planner would rightly prefer to read
        # them whole; leaving it only bitmap scans shows the trigram index can
        # answer the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


@pytest.mark.parametrize("query", ["玛嘉烈", "屯門醫院", "嘉", "eye hospital", "港大深圳"])
def test_hospital_search_uses_the_trigram_index(hospitals, query):
    border_points = search_options()["border_points"]
    plan = _plan(narrow_page(ranked_hospitals(HospitalFilters(q=query), border_points), 1, 20))
    assert "hospitals_hospital_search_key_trgm" in plan, plan
    assert "Seq Scan on hospitals_hospital" not in plan, plan


def test_item_search_uses_the_trigram_index(db):
    ConnectItemFactory(generic_name_en="Lorlatinib", generic_name_zh_hant="勞拉替尼", generic_name_zh_hans="劳拉替尼")
    assert [item.generic_name_en for item in item_search(ItemFilters(q="劳拉")).rows] == ["Lorlatinib"]
    plan = _plan(narrow_page(ranked_items(ItemFilters(q="勞拉")), 1, 20))
    assert "medicines_connectitem_search_key_trgm" in plan, plan
