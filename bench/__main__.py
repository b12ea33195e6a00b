"""python -m bench [search] [booking] [notifications] [rush]  (all four by default)

Runs the portal's benchmarks against the PostgreSQL database of DATABASE_URL (a
database of its own: it is filled with the demo data and data ×100) and prints a
Markdown report, also written to bench/runs/. See bench/README.md."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

PARTS = ("search", "booking", "notifications", "rush")


def _environment() -> dict[str, str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://... to a database the benchmark may fill (see bench/README.md).")
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "LOG_LEVEL": "WARNING",
        # One client sends everything: the API's per-address throttle would answer 429.
        "API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"),
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13"),
    }
    os.environ.update(env)
    return dict(os.environ)


def _prepare(factor: int, log) -> None:
    from django.core.management import call_command
    from django.db import connection

    from portal.hospitals.models import Hospital

    from . import data

    log(f"Preparing: migrate, demo data, data ×{factor}, static files")
    call_command("migrate", "--noinput", verbosity=0)
    if not Hospital.objects.filter(slug="hku-szh").exists():
        call_command("load_demo_data", verbosity=0)
    log("  " + data.generate(factor))
    call_command("compiletranslations", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _purge_broker() -> None:
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("parts", nargs="*", metavar="part", help=f"any of {', '.join(PARTS)} (default: all)")
    parser.add_argument("--seconds", type=int, default=8, help="seconds per wrk measurement (8)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure; ratios are medians (3)")
    parser.add_argument("--factor", type=int, default=100, help="synthetic data: this many times the real (100)")
    parser.add_argument("--skip-data", action="store_true", help="the database is already prepared")
    options = parser.parse_args()
    parts = options.parts or list(PARTS)
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")

    env = _environment()
    import django

    django.setup()
    from django.utils import timezone

    from .load import procfile_workers
    from .report import report

    def log(line: str) -> None:
        print(line, flush=True)

    if not options.skip_data:
        _prepare(options.factor, log)
    workers = procfile_workers()
    load = os.getloadavg()[0]
    results = {}
    try:
        if "search" in parts:
            from . import search

            log(f"Search over HTTP ({workers} gunicorn workers)")
            results["search"] = search.run(env=env, workers=workers, seconds=options.seconds,
                                           connections=options.connections, rounds=options.rounds,
                                           secret_key=env["SECRET_KEY"], log=log)
        if "booking" in parts:
            from . import booking

            log("Booking through the service")
            results["booking"] = booking.run(processes=workers, per_process=150, rounds=options.rounds,
                                             capacity=4, log=log)
        if "notifications" in parts:
            from . import notifications

            log("Notifications through the broker and a worker")
            results["notifications"] = notifications.run(count=3000, pool="threads", concurrency=8, log=log)
        if "rush" in parts:
            from . import rush

            log("Slot-release rush over HTTP")
            results["rush"] = rush.run(env=env, workers=workers, clients=200, places=30, rounds=options.rounds,
                                       secret_key=env["SECRET_KEY"], log=log)
    finally:
        _purge_broker()
    text = report(results, options=options, workers=workers, load=(load, os.getloadavg()[0]),
                  when=timezone.localtime())
    print(text)
    runs = Path(__file__).with_name("runs")
    runs.mkdir(exist_ok=True)
    (runs / f"{timezone.localtime():%Y%m%d-%H%M%S}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
