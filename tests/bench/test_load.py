"""The parts of bench/ that read wrk's output and serve the baseline."""

from django.test import Client, override_settings

from bench.load import parse_wrk, procfile_workers, quote

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40000/
  2 threads and 8 connections
  Latency Distribution
     50%   30.50ms
     75%   40.00ms
     90%  800.00us
     99%    1.20s
  500 requests in 5.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    100.25
STATUS 200 480
STATUS 409 12
STATUS 200 5
"""


def test_wrk_output_is_read_with_its_units_and_status_counts():
    result = parse_wrk(WRK_OUTPUT)
    assert (result.rps, result.requests) == (100.25, 500)
    assert (result.p50, result.p99) == (30.5, 1200.0)
    assert result.answers == {"200": 485, "409": 12}
    assert result.failed == 12 + 3  # the 409s and the socket errors


def test_non_ascii_queries_are_percent_encoded_for_wrk():
    assert quote("/zh-hant/hospitals/?q=港大&city=shenzhen") == "/zh-hant/hospitals/?q=%E6%B8%AF%E5%A4%A7&city=shenzhen"


def test_the_worker_count_is_the_procfiles(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert procfile_workers() == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert procfile_workers() == 5


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_benchmark_urlconf_serves_the_trivial_view_and_the_portal(db):
    client = Client()
    assert client.get("/bench/trivial").content == b"ok"
    assert client.get("/en/").status_code == 200
