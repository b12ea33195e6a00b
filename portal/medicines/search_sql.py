"""The Connect list API's search, written as SQL (see portal/hospitals/search_sql.py for
why). `selectors.item_search` (the ORM) is the reference, used by the HTML pages;
`tests/medicines/test_search_sql.py` checks that both give the same items in the
same order with the same counts.

Only table and column names from the models are written into the SQL text; every
value a visitor typed is a query parameter.
"""

# ruff: noqa: S608 (see above: no user input in the SQL text)

from __future__ import annotations

from django.db import connection

from portal.hospitals.search import NAME_SEPARATOR, _contained, normalise, query_terms
from portal.hospitals.search_sql import _like, sort_column

from .models import ConnectItem, ItemApproval, TherapeuticArea
from .selectors import ITEM_VALUES, ItemFilters

ITEM = ConnectItem._meta.db_table
AREA = TherapeuticArea._meta.db_table
APPROVAL = ItemApproval._meta.db_table


def _column(value: str) -> str:
    """The SQL for one of ITEM_VALUES, named as values() would name it."""
    if value == "institution_count":
        return f'(SELECT COUNT(*) FROM {APPROVAL} a WHERE a.item_id = i.id) AS "institution_count"'
    if value.startswith("therapeutic_area__"):
        return f'ta.{value.removeprefix("therapeutic_area__")} AS "{value}"'
    return f'i.{value} AS "{value}"'


def item_result_rows(filters: ItemFilters, language: str, offset: int, limit: int) -> list[dict]:
    """One page of the search: the `ITEM_VALUES` of each item plus `result_total`."""
    with connection.cursor() as cursor:
        cursor.execute(*item_page_query(filters, language, offset, limit))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def item_page_query(filters: ItemFilters, language: str, offset: int, limit: int) -> tuple[str, list]:
    """The SQL and parameters of `item_result_rows`."""
    conditions: list[str] = []
    params: list = []
    if filters.kind in ConnectItem.Kind.values:
        conditions.append("i.kind = %s")
        params.append(filters.kind)
    if filters.status in ConnectItem.Status.values:
        conditions.append("i.status = %s")
        params.append(filters.status)
    if filters.therapeutic_area:
        conditions.append("ta.code = %s")
        params.append(filters.therapeutic_area)
    terms = query_terms(filters.q)
    for term in terms:
        conditions.append("i.search_key LIKE %s ESCAPE '\\'")
        params.append(_like(_contained(term)))

    name_column = sort_column("generic_name", language)
    order_params: list = []
    order = f"i.{name_column}, i.id"
    if terms:
        order = f"CASE WHEN i.search_key LIKE %s ESCAPE '\\' THEN 0 WHEN i.search_key LIKE %s ESCAPE '\\' THEN 1 ELSE 2 END, {order}"
        order_params = [_like(f"{NAME_SEPARATOR} {normalise(filters.q)} {NAME_SEPARATOR}"),
                        _like(f"{NAME_SEPARATOR} {' '.join(terms)}")]
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    sql = (f"SELECT {', '.join(_column(value) for value in ITEM_VALUES)}, COUNT(*) OVER () AS result_total "
           f"FROM {ITEM} i JOIN {AREA} ta ON ta.id = i.therapeutic_area_id {where}"
           f"ORDER BY {order} LIMIT %s OFFSET %s")
    return sql, [*params, *order_params, limit, offset]
