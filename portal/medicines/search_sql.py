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

from portal.hospitals.search_sql import rank_sql, sort_column, term_conditions

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
    searched, search_params = term_conditions("i", filters.q)
    conditions += searched
    params += search_params
    order = f"i.{sort_column('generic_name', language)}, i.id"
    order_params: list = []
    if ranked := rank_sql("i", filters.q):
        # selectors.item_search: by how well a name matches the query, then by name.
        order, order_params = f"{ranked[0]}, {order}", ranked[1]
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    sql = (f"SELECT {', '.join(_column(value) for value in ITEM_VALUES)}, COUNT(*) OVER () AS result_total "
           f"FROM {ITEM} i JOIN {AREA} ta ON ta.id = i.therapeutic_area_id {where}"
           f"ORDER BY {order} LIMIT %s OFFSET %s")
    return sql, [*params, *order_params, limit, offset]
