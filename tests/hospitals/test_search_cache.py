"""The search cache: entries carry their data version; a process keeps a local copy
whose version it re-reads from the shared cache at most every LOCAL_VERSION_SECONDS."""

import pytest
from django.core.cache import cache

from portal.hospitals import search


@pytest.fixture
def local_copy(monkeypatch):
    """The process-local copy on (the test settings turn it off), with a clock we move."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(search, "LOCAL_VERSION_SECONDS", 1.0)
    monkeypatch.setattr(search.time, "monotonic", lambda: clock["now"])
    search._local_entries.clear()
    search._local_version.update(version=None, read_at=0.0)
    cache.clear()
    yield clock
    search._local_entries.clear()
    search._local_version.update(version=None, read_at=0.0)


@pytest.fixture
def shared_reads(monkeypatch):
    """How many times the shared cache is asked for entries."""
    calls = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(list(keys)) or real(keys))
    return calls


def test_an_entry_built_from_older_data_is_ignored():
    cache.clear()
    search.write_cached("search:test:a", "old list", 60)
    assert search.read_cached("search:test:a") == ["old list"]
    search.bump_data_version()
    assert search.read_cached("search:test:a") == [None]


def test_several_entries_and_the_version_come_in_one_round_trip(shared_reads):
    cache.clear()
    search.write_cached("search:test:a", "A", 60)
    search.write_cached("search:test:b", "B", 60)
    assert search.read_cached("search:test:a", "search:test:b", "search:test:missing") == ["A", "B", None]
    assert len(shared_reads) == 1


def test_a_repeated_read_is_answered_by_the_local_copy(local_copy, shared_reads):
    search.write_cached("search:test:a", "A", 60)
    assert search.read_cached("search:test:a") == ["A"]
    assert search.read_cached("search:test:a") == ["A"]
    # The first read fetched the version; the second needed no round trip at all.
    assert len(shared_reads) == 1


def test_another_process_change_is_seen_once_the_local_version_is_stale(local_copy, shared_reads):
    search.write_cached("search:test:a", "A", 60)
    assert search.read_cached("search:test:a") == ["A"]
    cache.incr(search._VERSION_KEY)  # another process committed a change
    local_copy["now"] += 0.5
    assert search.read_cached("search:test:a") == ["A"]  # within the allowed staleness
    local_copy["now"] += 0.6
    assert search.read_cached("search:test:a") == [None]  # version re-read: the entry is old


def test_a_change_in_this_process_is_seen_at_once(local_copy):
    search.write_cached("search:test:a", "A", 60)
    assert search.read_cached("search:test:a") == ["A"]
    search.bump_data_version()
    assert search.read_cached("search:test:a") == [None]
