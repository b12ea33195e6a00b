"""The pure parts of `manage.py bench_http` (wrk output, the report, page-weight
parsing) and its booking fixtures. The benchmark itself (gunicorn + wrk) is a
command, never run by the suite."""

import json

import pytest
from django.test import Client

from portal.appointments.models import Appointment
from portal.core.bench import booking
from portal.core.bench.report import CACHED_SEARCH, UNCACHED_SEARCH, Row, build
from portal.core.bench.weight import _absolute, css_references
from portal.core.bench.wrk import Result, parse_answers, parse_wrk, quote, to_ms
from tests import factories

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    35.12ms   20.01ms 250.00ms   80.00%
  Latency Distribution
     50%   30.50ms
     75%   40.00ms
     90%  800.00us
     99%    1.20s
  500 requests in 5.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    100.25
Transfer/sec:    200.00KB
"""


def test_wrk_output_is_read_with_its_units():
    result = parse_wrk("search", "/en/hospitals/?q=x", WRK_OUTPUT, 200)
    assert (result.rps, result.requests) == (100.25, 500)
    assert (result.p50, result.p90, result.p99) == (30.5, 0.8, 1200.0)
    assert result.errors == 4 + 3  # status >= 400 and socket errors
    assert result.failed == 7
    assert to_ms("2m") == 120000.0
    with pytest.raises(ValueError, match="Cannot read"):
        to_ms("fast")


def test_booking_answers_are_summed_over_threads_and_every_non_2xx_counts():
    output = WRK_OUTPUT + "STATUS 201 90\nSTATUS 409 double_booking 3\nSTATUS 201 100\nSTATUS 302 1\n"
    assert parse_answers(output) == {"201": 190, "409 double_booking": 3, "302": 1}
    result = parse_wrk("booking", "POST /api/v1/appointments/", output, "")
    assert result.status == "201"  # the most frequent answer
    assert result.failed == 3 + 1 + 3  # the refusal, the redirect (wrk would pass it) and socket errors


def test_paths_are_percent_encoded_once():
    assert quote("/en/hospitals/?q=深圳&city=sz") == "/en/hospitals/?q=%E6%B7%B1%E5%9C%B3&city=sz"
    assert quote("/api/v1/medicines/?search=%E5%8B%9E") == "/api/v1/medicines/?search=%E5%8B%9E"


def _result(name, rps, p99=50.0, answers=None):
    return Result(name, f"/{name}", rps, 10.0, 20.0, p99, 1000, 0, 200, answers=answers or {})


def test_report_puts_each_figure_next_to_its_own_servers_trivial_view_and_target():
    rows = [
        Row("search cache off", _result("trivial", 1000), 1000),
        Row("search cache off", _result("search page uncached", 100, p99=150.0), 1000, UNCACHED_SEARCH),
        Row("search cache on", _result("trivial", 500), 500),
        Row("search cache on", _result("search page cached", 400), 500, CACHED_SEARCH),
        Row("booking", _result("booking", 20, answers={"201": 900, "409 double_booking": 100}), 800),
    ]
    weight = {"url": "/en/", "by_kind": {"html": (1, 4000, 4000), "font": (1, 20000, 20000)}, "files": 2,
              "transferred": 24000, "uncompressed": 24000, "files_list": [("/en/", "", 4000)]}
    report = build(title="HTTP benchmark", context=["a note"], rows=rows, weights=[weight])
    lines = report.splitlines()
    uncached = next(line for line in lines if "search page uncached" in line)
    assert "| 0.10 | ≥ 0.15 (**not met**); p99 ≤ 100 ms (**not met**) |" in uncached
    cached = next(line for line in lines if "search page cached" in line)
    assert "| 0.80 | ≥ 0.6 (met) |" in cached  # 400 / 500: the cache-on server's own trivial view
    assert next(line for line in lines if line.startswith("| booking | booking")).endswith("| 100 (10.0%) |")
    assert "- booking: 201 × 900, 409 double_booking × 100" in lines
    assert "| font | 1 | 20,000 | 20,000 |" in lines
    assert "Target: ≤ 100,000 bytes transferred, fonts included: 24,000 (met)." in lines


def test_stylesheet_references_skip_inline_data_and_fragments():
    css = """a{background:url("img/a.png")} b{behavior:url(#default#VML)} c{background:url(data:image/png;base64,xx)}
    @font-face{src:url('../fonts/x.woff2') format("woff2")}"""
    assert css_references(css) == ["img/a.png", "../fonts/x.woff2"]
    assert _absolute("http://h/static/css/a.css", "../img/b.png#x") == "http://h/static/img/b.png"


@pytest.mark.django_db
def test_booking_fixture_signs_residents_in_for_the_booking_api(settings):
    """The request the wrk booking script sends: session and CSRF cookies, the CSRF
    header, an Idempotency-Key and a JSON body with a slot of the fixture."""
    factories.DepartmentFactory(hospital=factories.HospitalFactory(slug="synthetic-h000001"))
    fixture = booking.prepare(residents=3, slots=2, capacity=5, secret_key=settings.SECRET_KEY)
    assert (len(fixture.session_keys), len(fixture.slot_ids)) == (3, 2)

    def book(session_key, *, csrf=True, key="k1"):
        client = Client(enforce_csrf_checks=True)
        client.cookies["sessionid"] = session_key
        client.cookies["csrftoken"] = fixture.csrf_token
        headers = {"X-CSRFToken": fixture.csrf_token} if csrf else {}
        body = {"slot": fixture.slot_ids[0], "reason": "Benchmark booking", "id_document": "hkid"}
        return client.post("/api/v1/appointments/", json.dumps(body), content_type="application/json",
                           headers={**headers, "Idempotency-Key": key})

    assert book(fixture.session_keys[0]).status_code == 201
    assert book(fixture.session_keys[0], key="k2").json()["code"] == "double_booking"  # a visible refusal
    assert book(fixture.session_keys[1], csrf=False).status_code == 403
    assert booking.bookings_made() == 1

    # A rerun starts afresh: earlier bookings and slots go, the residents stay.
    again = booking.prepare(residents=3, slots=2, capacity=5, secret_key=settings.SECRET_KEY)
    assert booking.bookings_made() == 0 and not Appointment.objects.exists()
    assert set(again.slot_ids).isdisjoint(fixture.slot_ids)


@pytest.mark.django_db
def test_booking_sessions_are_signed_with_the_servers_secret(settings):
    factories.DepartmentFactory()
    fixture = booking.prepare(residents=1, slots=1, capacity=1, secret_key="not-the-servers-secret-" * 3)
    client = Client()
    client.cookies["sessionid"] = fixture.session_keys[0]
    assert client.get("/api/v1/appointments/").status_code == 403  # not signed in: wrong secret
