"""Cross-script search keys, shared by hospitals and the Connect list.

Every searchable record keeps a `search_key` column: each of its names in every
language, normalised the same way as a query is:

* Chinese in either script is converted to Simplified with OpenCC (`hk2s`), so a
  Traditional query finds Simplified text and the reverse;
* Latin text is case-folded and reduced to letters and digits;
* a run of Chinese characters is written as space-separated character pairs
  ("屯门医院" -> "屯门 门医 医院"). pg_trgm splits text into words at spaces and
  pads each word, so every pair becomes a word with its own trigrams ("  屯",
  " 屯门", "屯门 "). A query converted the same way becomes a LIKE pattern whose
  words are bounded by spaces, and pg_trgm extracts those padded trigrams from
  the pattern: the GIN index answers it, where an unspaced two-character query
  would yield no trigram at all and scan every row.

Names are separated by " | " and the key starts with "| " and ends with " |",
so "exact name" and "name starts with" are LIKE patterns too (used for ranking).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window

from portal.core import chinese

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")
NAME_SEPARATOR = "|"


def to_simplified(text: str) -> str:
    return chinese.to_simplified(text) if _IS_CJK.search(text) else text


def _pairs(run: str, last_alone: bool = False) -> str:
    """"屯门医院" -> "屯门 门医 医院"; in a stored key also the last character on its own
    ("... 医院 院") so that a one-character query, matched as the start of a word,
    finds a run's last character too."""
    if len(run) == 1:
        return run
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    if last_alone:
        pairs.append(run[-1])
    return " ".join(pairs)


def normalise(text: str) -> str:
    """One name, normalised as stored: Simplified, case-folded, Chinese runs as pairs."""
    text = to_simplified(unicodedata.normalize("NFKC", text or "")).casefold()
    return " ".join(_pairs(token, last_alone=True) if _IS_CJK.match(token) else token for token in _TOKEN.findall(text))


def build_key(names: Iterable[str]) -> str:
    """The search key of a record from its names (duplicates after normalising dropped)."""
    seen: list[str] = []
    for name in names:
        normalised = normalise(name)
        if normalised and normalised not in seen:
            seen.append(normalised)
    return f"{NAME_SEPARATOR} " + f" {NAME_SEPARATOR} ".join(seen) + f" {NAME_SEPARATOR}" if seen else ""


def _translations(obj, field: str) -> list[str]:
    return [getattr(obj, f"{field}_{code}", "") or "" for code in ("en", "zh_hant", "zh_hans")]


def _aliases(alias_model, owner_field: str, owner) -> list[str]:
    """The other names (aliases) of a saved record, read fresh from the database."""
    if owner.pk is None:
        return []
    return list(alias_model.objects.filter(**{owner_field: owner.pk}).order_by("id").values_list("name", flat=True))


def hospital_search_key(hospital) -> str:
    from .models import HospitalAlias

    names = [*_translations(hospital, "name"), *_translations(hospital, "short_name"), hospital.slug,
             *_aliases(HospitalAlias, "hospital", hospital)]
    return build_key(names)


def connect_item_search_key(item) -> str:
    from portal.medicines.models import ConnectItemAlias

    names = [*_translations(item, "generic_name"), *_translations(item, "brand_name"), item.hk_registration_no,
             *_aliases(ConnectItemAlias, "item", item)]
    return build_key(names)


def query_terms(query: str) -> list[str]:
    """Each typed word (Latin) or Chinese run of the query, normalised."""
    text = to_simplified(unicodedata.normalize("NFKC", query or "")).casefold()
    return [_pairs(token) if _IS_CJK.match(token) else token for token in _TOKEN.findall(text)][:8]


def _contained(term: str) -> str:
    # Django's `contains` escapes the text and wraps it in % for LIKE.
    # A Chinese term is bounded by spaces, so its pairs are whole words of the
    # key (pg_trgm pads them); a single character matches as the start of a pair.
    if _IS_CJK.match(term):
        return f" {term}{' ' if len(term) > 1 else ''}"
    return term


def search_filter(query: str, field: str = "search_key") -> Q | None:
    """A Q matching every term of `query` in `field`, or None for an empty query."""
    terms = query_terms(query)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": _contained(term)})
    return condition


def rank_expression(query: str, field: str = "search_key") -> Case:
    """0: a name equals the query; 1: a name starts with it; 2: anything else.

    Both patterns begin with "| " and the first term, so a row none of whose names
    starts with that term (nearly every row of a broad search) is ranked after one
    LIKE instead of two."""
    terms = query_terms(query)
    exact = f"{NAME_SEPARATOR} {normalise(query)} {NAME_SEPARATOR}"
    prefix = f"{NAME_SEPARATOR} {' '.join(terms)}"
    return Case(
        When(Q(**{f"{field}__contains": f"{NAME_SEPARATOR} {terms[0] if terms else ''}"}), then=Case(
            When(Q(**{f"{field}__contains": exact}), then=Value(0)),
            When(Q(**{f"{field}__contains": prefix}), then=Value(1)),
            default=Value(2),
        )),
        default=Value(2),
        output_field=IntegerField(),
    )


# --- One page of results ----------------------------------------------------------


@dataclass(frozen=True)
class ResultPage:
    """One page of a search: its rows, and what "page N of M" and its links need."""

    rows: list
    number: int
    total: int
    size: int

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


MAX_PAGE_NUMBER = 10_000


def narrow_page(ranked: QuerySet, number: int, size: int) -> QuerySet:
    """(id, total) of the rows on page `number` of `ranked` (filtered and ordered):
    the total is a window count over the same matches, so the page and the count
    are one query, and the rows sorted are narrow (the page's wide rows are read
    afterwards, by id)."""
    offset = (number - 1) * size
    return ranked.annotate(total=Window(Count("id"))).values_list("id", "total")[offset:offset + size]


def search_page(ranked: QuerySet, rows: QuerySet, number: int, size: int) -> ResultPage:
    """Page `number` of `ranked`, each result read from `rows` (the same model with
    what a result shows: select_related, prefetches, annotations). Two queries, plus
    `rows`' prefetches; a page past the end gives the last page (two more)."""
    # Any number past the end means the last page; bounding it keeps the offset
    # within what the database can count to (page=10**22 overflowed bigint).
    number = min(number, MAX_PAGE_NUMBER)
    found = list(narrow_page(ranked, number, size))
    if not found and number > 1:
        return search_page(ranked, rows, ceil(ranked.count() / size) or 1, size)
    ids = [row_id for row_id, _total in found]
    by_id = rows.in_bulk(ids) if ids else {}
    return ResultPage([by_id[row_id] for row_id in ids if row_id in by_id], number, found[0][1] if found else 0,
                      size)
