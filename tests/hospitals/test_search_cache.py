"""The search cache: entries carry their data version; a process keeps a local copy
whose version it re-reads from the shared cache at most every LOCAL_VERSION_SECONDS."""

import pytest
from django.core.cache import cache

from portal.hospitals import search, views
from tests import factories


@pytest.fixture
def local_copy(monkeypatch):
    """The process-local copy on (the test settings turn it off), with a clock we move."""
    clock = {"now": 1000.0}
    monkeypatch.setattr(search, "LOCAL_VERSION_SECONDS", 1.0)
    monkeypatch.setattr(search.time, "monotonic", lambda: clock["now"])
    search._local_entries.clear()
    search._version_memos.clear()
    search._local_version.update(version=None, read_at=0.0)
    cache.clear()
    yield clock
    search._local_entries.clear()
    search._version_memos.clear()
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


@pytest.mark.django_db
def test_a_hospital_card_is_drawn_once_per_language_and_data_version(local_copy, client, monkeypatch):
    """Varied searches reuse the cards this process has drawn (views._cards_html);
    a change to the data draws them again."""
    hospital = factories.HospitalFactory(slug="alpha", name_en="Alpha Eye Hospital", name_zh_hant="甲眼科醫院")
    drawn = []
    real = views._row_html
    monkeypatch.setattr(views, "_row_html", lambda row: drawn.append(row["name"]) or real(row))

    assert "Alpha Eye Hospital" in client.get("/en/hospitals/", {"q": "eye"}).content.decode()
    assert "Alpha Eye Hospital" in client.get("/en/hospitals/", {"q": "alpha"}).content.decode()
    assert drawn == ["Alpha Eye Hospital"]  # two searches, one card

    assert "甲眼科醫院" in client.get("/zh-hant/hospitals/", {"q": "alpha"}).content.decode()
    assert drawn == ["Alpha Eye Hospital", "甲眼科醫院"]  # each language has its own card

    hospital.name_en = "Alpha Eye Centre"
    hospital.save()
    search.bump_data_version()  # as every write path does after its commit
    html = client.get("/en/hospitals/", {"q": "alpha"}).content.decode()
    assert "Alpha Eye Centre" in html and "Alpha Eye Hospital" not in html
    assert drawn[-1] == "Alpha Eye Centre"


def test_the_card_memo_is_off_with_the_local_copy():
    # The test settings turn the local copy off, so other tests see every change at once.
    assert search.version_memo("hospital-cards", 10) is None
