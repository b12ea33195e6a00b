"""The hospital search page's query, written as SQL.

`selectors.hospital_search` (the ORM) is the reference: the API, the admin and the
count fall back to it. The search page, the busiest page of the portal, runs this
instead: building and compiling the ORM query (rank CASE, window count, array
subquery, modeltranslation's rewriting of every field name) cost about 2 ms per
request on these machines, as much as PostgreSQL took to run it. Here the SQL of a
given combination of filters is the same text every time, so psycopg prepares it
and PostgreSQL skips planning as well.

`tests/hospitals/test_search_sql.py` checks that both give the same rows, in the
same order, for every filter on every database.

Only table and column names from the models and the constants below are written
into the SQL text; every value a visitor typed is a query parameter.
"""

# ruff: noqa: S608 (see above: no user input in the SQL text)

from __future__ import annotations

from django.db import connection
from modeltranslation.settings import AVAILABLE_LANGUAGES, DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname

from .models import City, Department, Hospital, Specialty
from .search import NAME_SEPARATOR, _contained, normalise, query_terms
from .selectors import LIST_VALUES, HospitalFilters, bounding_box

HOSPITAL = Hospital._meta.db_table
CITY = City._meta.db_table
DEPARTMENT = Department._meta.db_table
SPECIALTY = Specialty._meta.db_table

# The same programmes and languages as selectors.PROGRAMME_FILTERS and LANGUAGE_FILTERS.
PROGRAMME_CONDITIONS = {
    "connect": "h.is_connect_designated",
    "voucher": "h.is_voucher_point",
    "ambulance": "h.ambulance_role <> ''",
    "hk-gp": "h.has_hk_style_gp",
    "insurance": "h.accepts_insurance",
}
LANGUAGE_CONDITIONS = {
    "cantonese": "h.speaks_cantonese",
    "putonghua": "h.speaks_putonghua",
    "english": "h.speaks_english",
    "portuguese": "h.speaks_portuguese",
}


def sort_column(field: str, language: str | None) -> str:
    """The column of `field` in `language`, for ORDER BY. The language is checked
    against modeltranslation's list, since the column name goes into the SQL text."""
    if language not in AVAILABLE_LANGUAGES:
        language = DEFAULT_LANGUAGE
    return build_localized_fieldname(field, language)


def _like(text: str) -> str:
    """A LIKE pattern containing `text` literally (as Django's `contains` escapes it)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def term_conditions(alias: str, query: str) -> tuple[list[str], list]:
    """search.search_filter as SQL: every term of `query` in `alias`.search_key."""
    terms = query_terms(query)
    return [f"{alias}.search_key LIKE %s ESCAPE '\\'"] * len(terms), [_like(_contained(term)) for term in terms]


def rank_sql(alias: str, query: str) -> tuple[str, list] | None:
    """search.rank_expression as SQL: 0 when a name equals the query, 1 when one starts
    with it, else 2. None for an empty query.

    Both the exact and the prefix pattern begin with "| " and the first term, so a
    row without a name starting with that term is ranked 2 after one LIKE instead of
    two. In a broad search nearly every row is such a row ("hospital": 6,000 of
    6,500), and the rank's LIKEs were a third of the query's time."""
    terms = query_terms(query)
    if not terms:
        return None
    like = f"{alias}.search_key LIKE %s ESCAPE '\\'"
    return (f"CASE WHEN {like} THEN (CASE WHEN {like} THEN 0 WHEN {like} THEN 1 ELSE 2 END) ELSE 2 END",
            [_like(f"{NAME_SEPARATOR} {terms[0]}"), _like(f"{NAME_SEPARATOR} {normalise(query)} {NAME_SEPARATOR}"),
             _like(f"{NAME_SEPARATOR} {' '.join(terms)}")])


def hospital_result_rows(filters: HospitalFilters, border_points, language: str, offset: int, limit: int) -> list[dict]:
    """One page of the search: the `LIST_VALUES` of each hospital, plus `result_total`
    (the number of matches) and, on PostgreSQL, `specialty_ids`. `border_points`
    are the cached filter options' points (objects with code, latitude, longitude)."""
    query = hospital_page_query(filters, border_points, language, offset, limit)
    if query is None:
        return []
    names = [*LIST_VALUES, "result_total"] + (["specialty_ids"] if connection.vendor == "postgresql" else [])
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def hospital_page_query(filters: HospitalFilters, border_points, language: str, offset: int,
                        limit: int) -> tuple[str, list] | None:
    """The SQL and parameters of `hospital_result_rows` (None: nothing can match)."""
    conditions = ["h.is_active"]
    params: list = []
    if filters.city:
        conditions.append(f"h.city_id IN (SELECT id FROM {CITY} WHERE code = %s)")
        params.append(filters.city)
    if filters.programme in PROGRAMME_CONDITIONS:
        conditions.append(PROGRAMME_CONDITIONS[filters.programme])
    if filters.language in LANGUAGE_CONDITIONS:
        conditions.append(LANGUAGE_CONDITIONS[filters.language])
    if filters.specialty:
        conditions.append(f"EXISTS (SELECT 1 FROM {DEPARTMENT} d JOIN {SPECIALTY} s ON s.id = d.specialty_id "
                          "WHERE d.hospital_id = h.id AND s.code = %s)")
        params.append(filters.specialty)
    if filters.border_point:
        point = next((p for p in border_points if p.code == filters.border_point), None)
        if point is None:
            return None
        south, north, west, east = bounding_box(float(point.latitude), float(point.longitude), filters.within_km)
        conditions.append("h.latitude BETWEEN %s AND %s AND h.longitude BETWEEN %s AND %s")
        params += [south, north, west, east]
    searched, search_params = term_conditions("h", filters.q)
    conditions += searched
    params += search_params

    name_column = sort_column("name", language)
    # selectors.best_first: by how well a name matches the query, else by city; then by name.
    rank, order_params = rank_sql("h", filters.q) or (f"(SELECT sort_order FROM {CITY} c WHERE c.id = h.city_id)", [])

    # The inner query ranks and counts narrow rows (id, rank, name): the window
    # count keeps every match in memory, and with the page's wide columns a broad
    # search ("hospital", 6,000 matches) took twice as long. The outer query reads
    # the wide columns of the page's rows only.
    columns = ", ".join(f"h.{column}" for column in LIST_VALUES)
    extra = ""
    if connection.vendor == "postgresql":
        # Ids only (no join, no sort per row): the caller knows every specialty.
        extra = f", ARRAY(SELECT d.specialty_id FROM {DEPARTMENT} d WHERE d.hospital_id = h.id) AS specialty_ids"
    sql = (f"SELECT {columns}, page.result_total{extra} FROM ("
           f"SELECT h.id, COUNT(*) OVER () AS result_total, {rank} AS result_rank, h.{name_column} AS sort_name "
           f"FROM {HOSPITAL} h WHERE {' AND '.join(conditions)} "
           f"ORDER BY result_rank, sort_name, h.id LIMIT %s OFFSET %s"
           f") page JOIN {HOSPITAL} h ON h.id = page.id ORDER BY page.result_rank, page.sort_name, page.id")
    return sql, [*order_params, *params, limit, offset]
