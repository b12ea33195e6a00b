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

import hashlib
import re
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")
NAME_SEPARATOR = "|"


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("hk2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text) if _IS_CJK.search(text) else text


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


def hospital_search_key(hospital) -> str:
    names = [*_translations(hospital, "name"), *_translations(hospital, "short_name"), hospital.slug]
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
    """0: a name equals the query; 1: a name starts with it; 2: anything else."""
    exact = normalise(query)
    prefix = " ".join(query_terms(query))
    return Case(
        When(**{f"{field}__contains": f"{NAME_SEPARATOR} {exact} {NAME_SEPARATOR}"}, then=Value(0)),
        When(**{f"{field}__contains": f"{NAME_SEPARATOR} {prefix}"}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def search_filtered(queryset: QuerySet, query: str, field: str = "search_key") -> QuerySet:
    """`queryset` narrowed to rows matching every term of `query` (all rows for an empty query)."""
    condition = search_filter(query, field)
    return queryset if condition is None else queryset.filter(condition)


def apply_search(queryset: QuerySet, query: str, field: str = "search_key") -> tuple[QuerySet, bool]:
    """Filter and annotate `queryset` with a `search_rank`; returns (queryset, searched)."""
    condition = search_filter(query, field)
    if condition is None:
        return queryset, False
    return queryset.filter(condition).annotate(search_rank=rank_expression(query, field)), True


# --- The search cache ---------------------------------------------------------
# Every cached entry is stored with the data version it was built from, and a
# read fetches the current version and the entries in one round trip
# (get_many): an entry built from older data is ignored. Every write path
# (model save/delete through services and the admin, the CSV import, the demo
# and scaled-data loaders) calls bump_data_version() after its commit, so no
# stale list is served after a change. A request that read the version before a
# change and wrote its entry after stores it under the old version, where no
# later reader looks. With several processes the cache must be shared (REDIS_URL).

_VERSION_KEY = "search:data-version"
SEARCH_CACHE_SECONDS = settings.SEARCH_CACHE_SECONDS
# Filter choices (cities, specialties, areas) and page shells do not depend on the query.
OPTIONS_CACHE_SECONDS = 3600

# Within one request every entry written uses the version read first. Outside a
# request (tasks, commands, tests) every call reads the cache.
_request_memo = threading.local()


def remember_version_for_request(**kwargs) -> None:
    _request_memo.active, _request_memo.version = True, None


def forget_version_after_request(**kwargs) -> None:
    _request_memo.active, _request_memo.version = False, None


def _remember(version: int) -> int:
    if getattr(_request_memo, "active", False):
        _request_memo.version = version
    return version


def data_version() -> int:
    if getattr(_request_memo, "active", False) and _request_memo.version is not None:
        return _request_memo.version
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(_VERSION_KEY, version, timeout=None)
    return _remember(version)


def bump_data_version() -> None:
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)
    _request_memo.version = None
    with _local_lock:
        _local_version["version"] = None
        _local_entries.clear()
        _version_memos.clear()


def cache_key(namespace: str, *parts) -> str:
    raw = "\x1f".join(str(part) for part in parts)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"search:{namespace}:{digest}"


# A process-local copy of recent entries sits in front of the shared cache. A
# repeated search is then answered without any round trip: the data version is
# re-read from the shared cache at most every LOCAL_VERSION_SECONDS, so another
# process's change is seen within that time (this process's own changes at once,
# through bump_data_version). 0 turns the local copy off (the test settings do, so
# tests that clear the cache see it cleared).
LOCAL_VERSION_SECONDS = settings.SEARCH_LOCAL_VERSION_SECONDS
LOCAL_ENTRIES = 256
_local_entries: OrderedDict[str, tuple[int, object]] = OrderedDict()
_local_version: dict[str, float | int | None] = {"version": None, "read_at": 0.0}
# Threaded servers (runserver, gunicorn's gthread workers) share the local copy.
_local_lock = threading.Lock()


def _fresh_local_version() -> int | None:
    if not LOCAL_VERSION_SECONDS or _local_version["version"] is None:
        return None
    if time.monotonic() - _local_version["read_at"] > LOCAL_VERSION_SECONDS:
        return None
    return _local_version["version"]


def _keep_locally(key: str, version: int, value) -> None:
    if LOCAL_VERSION_SECONDS:
        with _local_lock:
            _local_entries[key] = (version, value)
            _local_entries.move_to_end(key)
            while len(_local_entries) > LOCAL_ENTRIES:
                _local_entries.popitem(last=False)


def read_cached(*keys: str) -> list:
    """The entries under `keys` (None where missing or built from older data), and
    the current data version: from this process's copy when it is fresh, else in
    one round trip to the shared cache."""
    version = _fresh_local_version()
    if version is not None:
        local = [_local_entries.get(key) for key in keys]
        if all(entry is not None and entry[0] == version for entry in local):
            _remember(version)
            return [entry[1] for entry in local]
    found = cache.get_many([_VERSION_KEY, *keys])
    version = found.get(_VERSION_KEY)
    if version is None:
        version = data_version()
    else:
        _remember(version)
    _local_version.update(version=version, read_at=time.monotonic())
    entries = []
    for key in keys:
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
            _keep_locally(key, version, entry[1])
            entries.append(entry[1])
        else:
            entries.append(None)
    return entries


def write_cached(key: str, value, seconds: int) -> None:
    version = data_version()
    cache.set(key, (version, value), seconds)
    _keep_locally(key, version, value)


# Values derived from one record at the current data version (a hospital's card on
# the search page) can be kept by each process in a memo that is emptied when the
# version changes. Same switch as the local copy: off when it is off (tests).
_version_memos: dict[str, tuple[int, dict]] = {}


def version_memo(namespace: str, limit: int) -> dict | None:
    """A process-local dict for values built from the data at the current version,
    started afresh when the version changes or when it holds `limit` entries; None
    when the local copy is off (SEARCH_LOCAL_VERSION_SECONDS=0)."""
    if not LOCAL_VERSION_SECONDS:
        return None
    version = data_version()
    held = _version_memos.get(namespace)
    if held is None or held[0] != version or len(held[1]) >= limit:
        held = (version, {})
        _version_memos[namespace] = held
    return held[1]


def search_cache_get(key: str):
    """A cached search result, or None. With the search cache off
    (SEARCH_CACHE_SECONDS=0) there is no round trip to the cache at all."""
    return read_cached(key)[0] if SEARCH_CACHE_SECONDS else None


def search_cache_set(key: str, value) -> None:
    if SEARCH_CACHE_SECONDS:
        write_cached(key, value, SEARCH_CACHE_SECONDS)
