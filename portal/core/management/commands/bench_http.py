"""HTTP benchmark of the production shape (issue #9 item 6). Not a test: it prints
figures next to a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python manage.py bench_http [--duration 10] [--connections 8] [--only search] \\
        [--target name=/path] [--paths name=FILE] [--skip-data]

Steps: migrate the database named by DATABASE_URL, load the demo data and
`generate_scaled_data --factor N` (--skip-data skips these three); collectstatic
(WhiteNoise compressed files); create the booking fixtures (residents, their sessions,
slots: portal/core/bench/booking.py). Then three gunicorn servers in turn (production
settings, DEBUG off, as many sync workers as the Procfile (WEB_CONCURRENCY, 3),
--no-control-socket, a free loopback port), each
driven by wrk from a second process, each measuring the trivial view /bench/trivial
first and again before each further target, because every ratio is to the trivial
view of the same server measured just before the target (the table shows the first):

  search cache off (SEARCH_CACHE_SECONDS=0): the home and sign-in pages, hospital
      pages, the hospital search page and the medicine search API with varied queries
      (bench_search's `_paths()`), plus --target and --paths;
  search cache on: the same searches with a small set of repeated queries, cache
      filled first;
  booking (CELERY_BROKER_URL = a Redis database only the benchmark uses, purged
      afterwards): POST /api/v1/appointments/ as random signed-in residents.

Then the page weight of the home page and the search page (HTML, CSS, JS, fonts,
with Accept-Encoding br/gzip). The table goes to stdout and to
bench-results/<timestamp>.md. Every gunicorn is stopped whatever happens.
"""

import os
import secrets
import shutil
import subprocess  # noqa: S404
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

from portal.core.bench import booking
from portal.core.bench.report import CACHED_SEARCH, UNCACHED_SEARCH, Goal, Row, build
from portal.core.bench.server import WEB_WORKERS, free_port, wait_until_serving
from portal.core.bench.weight import page_weight
from portal.core.bench.wrk import LUA_BOOKING, LUA_PATHS, Result, parse_wrk, quote

# (name, path) of single pages on the cache-off server; domains add theirs here.
TARGETS: list[tuple[str, str]] = [
    ("home", "/en/"),
    ("home zh-hant", "/zh-hant/"),
    ("sign-in page", "/en/accounts/login/"),
]
TRIVIAL = "/bench/trivial"
WEIGHED_PAGES = ["/en/", "/en/hospitals/?q=shenzhen"]
# A Redis database no other engineer or service uses (0-10 are taken; 11 is the cache).
BENCH_BROKER_URL = "redis://127.0.0.1:6379/12"
BOOKING_PATH = "/api/v1/appointments/"


@dataclass
class Target:
    name: str
    label: str  # the path shown in the table
    paths: list[str] | None = None  # several: wrk requests a random one each time
    goal: Goal | None = None
    fixture: booking.BookingFixture | None = None  # set for the booking target: POSTs as its residents


@dataclass
class Server:
    name: str
    note: str  # for the report: how this server differs from the others
    env: dict[str, str]
    targets: list[Target]
    before: Callable[[str], None] | None = None  # once it answers, before measuring (fill a cache)
    after: Callable[[], None] | None = None  # once it has stopped (purge the broker)


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    weights: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cleanups: list[Callable[[], None]] = field(default_factory=list)  # run at the very end, whatever happens


class Command(BaseCommand):
    help = "Benchmark the portal over HTTP: gunicorn on loopback driven by wrk, plus page weight."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="Seconds per target (default 10).")
        parser.add_argument("--connections", type=int, default=8, help="Open connections (default 8).")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
        parser.add_argument("--workers", type=int, default=WEB_WORKERS,
                            help=f"gunicorn workers (default: as the Procfile, {WEB_WORKERS}).")
        parser.add_argument("--warmup", type=int, default=2, help="Seconds of unmeasured warm-up per target.")
        parser.add_argument("--target", action="append", default=[], metavar="NAME=PATH",
                            help="Extra target, e.g. search=/en/hospitals/?q=shenzhen (repeatable).")
        parser.add_argument("--paths", action="append", default=[], metavar="NAME=FILE",
                            help="Target that requests a random path from FILE (one per line) each time.")
        parser.add_argument("--only", action="append", default=[], metavar="NAME",
                            help="Run only the targets whose name starts with NAME, e.g. 'search', 'booking' "
                                 "(repeatable; the trivial baseline always runs, --target/--paths too).")
        parser.add_argument("--factor", type=int, default=100, help="generate_scaled_data --factor (default 100).")
        parser.add_argument("--no-data", "--skip-data", dest="no_data", action="store_true",
                            help="Skip migrate and data loading (reruns); the booking fixtures are still renewed.")
        parser.add_argument("--residents", type=int, default=300, help="Signed-in residents for the booking (300).")
        parser.add_argument("--slots", type=int, default=200, help="Bookable slots for the booking (200).")
        parser.add_argument("--capacity", type=int, default=50, help="Places per slot (50).")
        parser.add_argument("--broker-url", default=BENCH_BROKER_URL,
                            help=f"Celery broker of the booking server, purged afterwards ({BENCH_BROKER_URL}).")
        parser.add_argument("--allow-sqlite", action="store_true", help="Run without PostgreSQL (figures not comparable).")
        parser.add_argument("--output-dir", default=str(Path(settings.BASE_DIR) / "bench-results"))

    # --- orchestration ---------------------------------------------------------------
    def handle(self, *args, **options):
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith("postgres") and not options["allow_sqlite"]:
            raise CommandError("Set DATABASE_URL=postgres://... (or pass --allow-sqlite for a rough run).")
        wrk = self._ensure_wrk()
        # One secret for the servers and for the sessions written below (they are signed with it).
        secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48)
        env = self._server_env(secret_key)
        self._prepare(env, options)
        load_before = os.getloadavg()[0]
        run = Run()
        try:
            servers = self._servers(env, options, secret_key, run)
            for server in servers:
                self._run_server(wrk, server, options, run)
        finally:
            for cleanup in run.cleanups:
                cleanup()
        context = self._context(options, database_url, load_before, servers, run)
        report = build(title=f"HTTP benchmark, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
                       context=context, rows=run.rows, weights=run.weights)
        self.stdout.write(report)
        out_dir = Path(options["output_dir"])
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"{datetime.now().astimezone():%Y%m%d-%H%M%S}.md"
        out.write_text(report, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Written to {out}"))

    def _run_server(self, wrk: str, server: Server, options, run: Run) -> None:
        self.stdout.write(f"Server: {server.name}")
        try:
            with self._gunicorn(server.env, options["workers"]) as base:
                if server.before:
                    server.before(base)
                trivial = self._run_target(wrk, base, Target("trivial", TRIVIAL), options)
                run.rows.append(Row(server.name, trivial, trivial.rps))
                for number, target in enumerate(server.targets):
                    # Each target's ratio is to the trivial view measured just before it
                    # (the first target uses the one in the table): the machines are
                    # shared, and the load drifts over a run of several minutes.
                    if number:
                        trivial = self._run_target(wrk, base, Target("trivial", TRIVIAL), options)
                    result = self._run_target(wrk, base, target, options)
                    run.rows.append(Row(server.name, result, trivial.rps, target.goal))
                if not run.weights:  # any server serves the same pages: weigh them on the first
                    run.weights = [page_weight(base, path) for path in WEIGHED_PAGES]
        finally:
            if server.after:
                server.after()

    # --- the three servers ---------------------------------------------------------
    def _servers(self, env: dict[str, str], options, secret_key: str, run: Run) -> list[Server]:
        """The servers that have a selected target, each with the environment it differs by."""
        from portal.hospitals.management.commands.bench_search import Command as BenchSearch

        # Deterministic varied queries (and the small repeated set), shared with bench_search.
        varied_pages, varied_api, repeated_pages, repeated_api = BenchSearch()._paths()
        uncached = [
            *(Target(name, path) for name, path in TARGETS),
            self._hospital_target(),
            _many("search page uncached", varied_pages, UNCACHED_SEARCH),
            _many("search API uncached", varied_api, UNCACHED_SEARCH),
        ]
        cached = [
            _many("search page cached", repeated_pages, CACHED_SEARCH),
            _many("search API cached", repeated_api, CACHED_SEARCH),
        ]
        bookings = [Target("booking", f"POST {BOOKING_PATH}")]
        uncached, cached, bookings = (self._selected(t, options["only"]) for t in (uncached, cached, bookings))
        uncached += self._extra_targets(options)

        servers = []
        if uncached:
            servers.append(Server("search cache off", "SEARCH_CACHE_SECONDS=0: every search reaches PostgreSQL",
                                  {**env, "SEARCH_CACHE_SECONDS": "0"}, uncached))
        if cached:
            servers.append(Server("search cache on", "SEARCH_CACHE_SECONDS=600, each repeated query fetched "
                                  "before measuring (cache filled)", {**env, "SEARCH_CACHE_SECONDS": "600"}, cached,
                                  before=lambda base: _fill_cache(base, repeated_pages + repeated_api)))
        if bookings:
            servers.append(self._booking_server(env, options, secret_key, bookings, run))
        return servers

    def _booking_server(self, env, options, secret_key, targets: list[Target], run: Run) -> Server:
        broker_url = options["broker_url"]
        stale = _broker_purge(broker_url)
        if stale:
            self.stdout.write(f"The benchmark's broker {broker_url} held {stale} messages (an interrupted run?): purged")
        fixture = booking.prepare(residents=options["residents"], slots=options["slots"],
                                  capacity=options["capacity"], secret_key=secret_key)
        run.cleanups.append(lambda: booking.forget_sessions(fixture))
        for target in targets:
            target.fixture = fixture

        def after() -> None:
            queued = _broker_purge(broker_url)
            run.notes.append(
                f"Booking: {options['residents']} residents signed in (sessions written before the server "
                f"started), {options['slots']} slots × {options['capacity']} places in {fixture.department}; "
                f"every request a random (resident, slot) with its own Idempotency-Key; {booking.bookings_made():,} "
                f"bookings made (warm-up included). Notifications were queued on the broker {broker_url} as in "
                f"production, not run eagerly in the request; no worker ran: {queued:,} task messages were "
                f"waiting there at the end, then purged.")

        return Server("booking", f"CELERY_BROKER_URL={broker_url} (tasks queued, not run in the request)",
                      {**env, "CELERY_BROKER_URL": broker_url}, targets, after=after)

    def _hospital_target(self) -> Target:
        """A real hospital and three synthetic ones, a random one per request."""
        from portal.hospitals.models import Hospital

        slugs = ["hku-szh", *Hospital.objects.filter(slug__startswith="synthetic-", is_active=True)
                 .order_by("slug").values_list("slug", flat=True)[:3]]
        return Target("hospital page", "/en/hospitals/<slug>/ for " + ", ".join(slugs),
                      [f"/en/hospitals/{slug}/" for slug in slugs])

    @staticmethod
    def _selected(targets: list[Target], only: list[str]) -> list[Target]:
        return [t for t in targets if not only or any(t.name.startswith(name) for name in only)]

    def _extra_targets(self, options) -> list[Target]:
        targets = []
        for spec in options["target"]:
            name, _, path = spec.partition("=")
            if not path.startswith("/"):
                raise CommandError(f"--target wants NAME=/path, got {spec!r}")
            targets.append(Target(name, path))
        for spec in options["paths"]:
            name, _, file = spec.partition("=")
            paths = [line.strip() for line in Path(file).read_text(encoding="utf-8").splitlines() if line.strip()]
            if not paths:
                raise CommandError(f"{file} has no paths")
            targets.append(Target(name, f"{paths[0]} (+{len(paths) - 1} more from {file})", paths))
        return targets

    # --- set-up ----------------------------------------------------------------------
    def _ensure_wrk(self) -> str:
        found = shutil.which("wrk")
        if found:
            return found
        self.stdout.write("wrk is missing: installing the Debian package")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)  # noqa: S603
        found = shutil.which("wrk")
        if not found:
            raise CommandError("Could not install wrk (apt-get install wrk)")
        return found

    def _server_env(self, secret_key: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            # One client sends everything: the API's throttles would answer 429 (issue 15).
            "API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min",
        }
        # Only the booking server gets a broker (the benchmark's own): a broker URL from the
        # shell would send the demo data's notifications to someone else's queue.
        env.pop("CELERY_BROKER_URL", None)
        return env

    def _manage(self, env, *args):
        subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args], check=True, env=env)  # noqa: S603

    def _prepare(self, env, options):
        self.stdout.write("Preparing: compiletranslations, collectstatic" + ("" if options["no_data"] else ", migrate, data"))
        self._manage(env, "compiletranslations")
        self._manage(env, "collectstatic", "--noinput", "-v", "0")
        if options["no_data"]:
            return
        self._manage(env, "migrate", "--noinput", "-v", "0")
        self._manage(env, "load_demo_data")
        if "generate_scaled_data" in get_commands():
            self._manage(env, "generate_scaled_data", "--factor", str(options["factor"]))
        else:
            self.stdout.write("generate_scaled_data is not available on this branch: using the demo data only")

    # --- one server, one target ---------------------------------------------------------
    @contextmanager
    def _gunicorn(self, env: dict[str, str], workers: int) -> Iterator[str]:
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--no-control-socket", "--log-level", "warning"]
        self.stdout.write(f"  starting: {' '.join(command[1:])}")
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(base, server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    def _run_target(self, wrk: str, base: str, target: Target, options) -> Result:
        status = "" if target.fixture else _statuses(base, target.paths or [target.label])
        self.stdout.write(f"  {target.name}: {target.label}" + (f" (HTTP {status})" if status else ""))
        command = [wrk, f"-t{options['threads']}", f"-c{options['connections']}", "--latency", "--timeout", "5s"]
        with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
            run = None
            for seconds in (options["warmup"], options["duration"]):
                if not seconds:
                    continue
                script, url, args = self._wrk_script(Path(folder), base, target)
                run = subprocess.run([*command, f"-d{seconds}s", *script, url, *args],  # noqa: S603
                                     check=True, capture_output=True, text=True)
        return parse_wrk(target.name, target.label, run.stdout, status)

    def _wrk_script(self, folder: Path, base: str, target: Target) -> tuple[list[str], str, list[str]]:
        """(script options, URL, script arguments) for wrk."""
        if target.fixture:
            fixture = target.fixture
            sessions = folder / "sessions.txt"
            sessions.write_text("\n".join(fixture.session_keys) + "\n", encoding="utf-8")
            script = folder / "booking.lua"
            script.write_text(LUA_BOOKING, encoding="utf-8")
            # A new key prefix for every wrk run: the warm-up's keys must not be replayed.
            prefix = secrets.token_hex(6)
            slots = ",".join(map(str, fixture.slot_ids))
            return ["-s", str(script)], base + BOOKING_PATH, ["--", str(sessions), slots, fixture.csrf_token, prefix]
        if target.paths:
            paths = folder / "paths.txt"
            paths.write_text("\n".join(quote(p) for p in target.paths) + "\n", encoding="utf-8")
            script = folder / "paths.lua"
            script.write_text(LUA_PATHS, encoding="utf-8")
            return ["-s", str(script)], base + "/", ["--", str(paths)]
        return [], base + quote(target.label), []

    def _context(self, options, database_url: str, load_before: float, servers: list[Server], run: Run) -> list[str]:
        from portal.hospitals.models import Hospital
        from portal.medicines.models import ConnectItem

        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        lines = [
            f"gunicorn, {options['workers']} sync workers, production settings (DEBUG off), {engine} with "
            f"{Hospital.objects.count():,} hospitals and {ConnectItem.objects.count():,} Connect items; "
            f"wrk {options['threads']} threads, {options['connections']} connections, {options['duration']} s per "
            f"target after {options['warmup']} s warm-up, from a second process over loopback on one machine "
            f"({os.cpu_count()} cores, load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end).",
            "",
            "Each server measures the trivial view (`/bench/trivial`: full middleware, no database) before each "
            "of its targets; every ratio is to the trivial view measured by the same server just before the "
            "target (the table shows the first). Servers:",
            "",
            *(f"- {server.name}: {server.note}" for server in servers),
            "",
            "Targets (issue #9): search uncached ≥ 0.15 of trivial with p99 ≤ 100 ms, cached ≥ 0.6; "
            "page weight ≤ 100 KB transferred. \"not 2xx\": wrk counts status ≥ 400 and socket errors; "
            "the booking counts every answer that is not 2xx (listed below the table).",
        ]
        if run.notes:
            lines += ["", *run.notes]
        return lines


# --- helpers ----------------------------------------------------------------------------

def _many(name: str, paths: list[str], goal: Goal | None = None) -> Target:
    return Target(name, f"{paths[0]} (+{len(paths) - 1} more)" if len(paths) > 1 else paths[0], paths, goal)


def _statuses(base: str, paths: list[str], sample: int = 5) -> str:
    """Status of the first few paths, e.g. "200" or "200/404", before measuring them."""
    seen = sorted({_status(base + quote(path)) for path in paths[:sample]})
    return "/".join(map(str, seen))


def _status(url: str) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url), timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _fill_cache(base: str, paths: list[str]) -> None:
    """Fetch each repeated query so the measured run finds it cached (twice: with a
    per-process cache, when REDIS_URL is unset, both workers are likely to see it)."""
    for path in paths * 2:
        _status(base + quote(path))


def _broker_purge(broker_url: str) -> int:
    """Empty the benchmark's own Redis database; returns how many messages were
    queued in it (Celery's queues are Redis lists)."""
    import redis

    client = redis.Redis.from_url(broker_url)
    try:
        queued = sum(client.llen(key) for key in client.scan_iter(_type="list"))
        client.flushdb()
        return queued
    finally:
        client.close()
