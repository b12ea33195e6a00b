"""manage.py bench_search: throughput and latency of the search, next to a trivial view.

On PostgreSQL with the scaled data set (generate_scaled_data --factor 100, run
here when missing), this serves the portal with gunicorn on 127.0.0.1 and
drives it with wrk over loopback:

  server 1, search cache off (SEARCH_CACHE_SECONDS=0): /bench/trivial, the
    hospital search page with varied queries, the medicine search API with
    varied queries;
  server 2, search cache on: /bench/trivial again, and both searches with a
    small set of repeated queries.

Each search figure is reported next to the trivial view measured by the same
server in the same run (the machine is shared, so absolute numbers drift; the
ratios are the result). Each scenario is measured --rounds times (default 3),
each time right after its own trivial-view measurement, and its ratio is the
median of those rounds' ratios, so one load spike does not decide it. Then it
prints EXPLAIN (ANALYZE) of the search queries.
wrk is the Debian package; it is installed with apt-get when missing.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.core.bench.server import WEB_WORKERS, free_port, wait_until_serving
from portal.hospitals.models import Hospital
from portal.medicines.models import ConnectItem

WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
init = function(args)
  counter = math.random(#paths)
end
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Accept-Language"] = "en"})
end
"""

TARGETS = {"uncached": 0.15, "cached": 0.6, "p99_uncached_ms": 100.0}


def _median_figures(results: list[dict]) -> dict:
    """The median of each figure over several measurements of one scenario."""
    return {
        "rps": statistics.median(result["rps"] for result in results),
        "p50": statistics.median(result["p50"] for result in results),
        "p99": statistics.median(result["p99"] for result in results),
        "non2xx": sum(result["non2xx"] for result in results),
        "socket_errors": "; ".join(result["socket_errors"] for result in results if result["socket_errors"]),
    }


def _parse_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


class Command(BaseCommand):
    help = "Benchmark the hospital search page and the medicine search API against a trivial view (gunicorn + wrk)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=100, help="Scale of the synthetic data (default 100).")
        parser.add_argument("--duration", type=int, default=10, help="Seconds per measurement.")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--workers", type=int, default=WEB_WORKERS,
                            help=f"gunicorn worker processes (default: as the Procfile, {WEB_WORKERS}).")
        parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""),
                            help="Shared cache for the gunicorn workers (default: REDIS_URL; empty: per-process).")
        parser.add_argument("--rounds", type=int, default=3,
                            help="Each scenario is measured this many times, each time right after the trivial view; "
                                 "the ratio reported is the median of the rounds' ratios.")
        parser.add_argument("--no-explain", action="store_true")

    def handle(self, *args, factor, duration, connections, threads, workers, redis_url, no_explain, rounds, **options):
        if not settings.USING_POSTGRES:
            raise CommandError("Run the benchmark on PostgreSQL (set DATABASE_URL=postgres://...).")
        self._ensure_wrk()
        self._ensure_data(factor)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        varied_pages, varied_api, repeated_pages, repeated_api = self._paths()
        self.stdout.write(f"Data: {Hospital.objects.count()} hospitals, {ConnectItem.objects.count()} Connect items; "
                          f"{len(varied_pages)} varied page queries, {len(varied_api)} varied API queries.")
        static_root = self._collectstatic()
        rows: list[tuple[str, dict]] = []
        with self._server(workers, static_root, redis_url, cache_seconds=0) as base:
            rows += self._rounds(base, "cache off server", rounds, duration, connections, threads, [
                ("hospital search page, varied, uncached", varied_pages),
                ("medicine search API, varied, uncached", varied_api),
            ])
        with self._server(workers, static_root, redis_url, cache_seconds=600) as base:
            self._wrk(base, repeated_pages + repeated_api, 2, connections, threads)  # fill the cache
            rows += self._rounds(base, "cache on server", rounds, duration, connections, threads, [
                ("hospital search page, repeated, cached", repeated_pages),
                ("medicine search API, repeated, cached", repeated_api),
            ])
        self._report(rows, workers, connections, threads, duration, redis_url, rounds)
        if not no_explain:
            self._explain()

    # --- set-up -------------------------------------------------------------
    def _ensure_wrk(self) -> None:
        if shutil.which("wrk"):
            return
        self.stdout.write("Installing wrk (Debian package)...")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)  # noqa: S607

    def _ensure_data(self, factor: int) -> None:
        if not Hospital.objects.filter(slug="hku-szh").exists():
            call_command("load_demo_data", stdout=self.stdout)
        wanted = factor * 65
        if Hospital.objects.filter(slug__startswith="synthetic-").count() < wanted:
            call_command("generate_scaled_data", factor=factor, stdout=self.stdout)

    def _paths(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """Queries a person might type: parts of real names in either script or English,
        some with a filter. Deterministic, so runs are comparable."""
        chooser = random.Random(20260101)  # noqa: S311 (not security)
        hospitals = list(Hospital.objects.order_by("id").values_list("name_en", "name_zh_hant", "name_zh_hans", "city__code"))
        items = list(ConnectItem.objects.order_by("id").values_list("generic_name_en", "generic_name_zh_hant",
                                                                     "generic_name_zh_hans", "kind"))
        programmes = ["", "", "", "connect", "voucher", "insurance"]

        def fragment(names: tuple[str, str, str]) -> str:
            choice = chooser.randrange(3)
            if choice == 0:
                words = [word for word in re.findall(r"[A-Za-z]+", names[0]) if len(word) > 3] or [names[0]]
                word = chooser.choice(words)
                return word[: chooser.randint(4, max(4, len(word)))]
            text = names[choice]
            length = min(len(text), chooser.randint(2, 4))
            start = chooser.randrange(max(1, len(text) - length + 1))
            return text[start : start + length]

        varied_pages, varied_api = [], []
        for _ in range(2000):
            name_en, hant, hans, city = chooser.choice(hospitals)
            params = {"q": fragment((name_en, hant, hans))}
            if chooser.random() < 0.3:
                params["city"] = city
            if programme := chooser.choice(programmes):
                params["programme"] = programme
            varied_pages.append(f"/en/hospitals/?{urlencode(params)}")
            generic_en, generic_hant, generic_hans, kind = chooser.choice(items)
            api_params = {"search": fragment((generic_en, generic_hant, generic_hans))}
            if chooser.random() < 0.3:
                api_params["kind"] = kind
            varied_api.append(f"/api/v1/medicines/?{urlencode(api_params)}")
        return varied_pages, varied_api, varied_pages[:20], varied_api[:20]

    def _collectstatic(self) -> Path:
        """Production settings serve static files from STATIC_ROOT with a manifest."""
        static_root = Path(settings.STATIC_ROOT)
        manifest = static_root / "staticfiles.json"
        sources = [path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*") if path.is_file()]
        if manifest.exists() and all(path.stat().st_mtime <= manifest.stat().st_mtime for path in sources):
            return static_root
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],  # noqa: S603
                       env=self._env(static_root, "", 0), check=True, cwd=settings.BASE_DIR)
        return static_root

    def _env(self, static_root: Path, redis_url: str, cache_seconds: int) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "SEARCH_CACHE_SECONDS": str(cache_seconds),
            "LOG_LEVEL": "WARNING",
            # One client sends everything: the API's throttles would answer 429 (issue 15).
            "API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min",
        }
        env["REDIS_URL"] = redis_url
        return env

    class _Server:
        def __init__(self, command: Command, workers: int, static_root: Path, redis_url: str, cache_seconds: int):
            self.command, self.workers, self.static_root = command, workers, static_root
            self.redis_url, self.cache_seconds = redis_url, cache_seconds
            self.process: subprocess.Popen | None = None

        def __enter__(self) -> str:
            port = free_port()
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(self.workers), "--no-control-socket", "--log-level", "warning"],
                env=self.command._env(self.static_root, self.redis_url, self.cache_seconds), cwd=settings.BASE_DIR,
            )
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(base, self.process, "/bench/trivial")
            for path in ("/en/hospitals/?q=eye", "/api/v1/medicines/?search=nib"):
                with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                    if response.status != 200:
                        raise CommandError(f"{path} answered {response.status}")
            return base

        def __exit__(self, *exc_info) -> None:
            if self.process is not None:
                self.process.terminate()
                self.process.wait(timeout=30)

    def _server(self, workers, static_root, redis_url, cache_seconds) -> _Server:
        return self._Server(self, workers, static_root, redis_url, cache_seconds)

    def _wrk(self, base: str, paths: list[str], duration: int, connections: int, threads: int) -> dict:
        with tempfile.TemporaryDirectory() as folder:
            script = Path(folder) / "paths.lua"
            script.write_text(WRK_SCRIPT)
            path_file = Path(folder) / "paths.txt"
            path_file.write_text("\n".join(paths) + "\n")
            result = subprocess.run(  # noqa: S603
                ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base],  # noqa: S607
                env={**os.environ, "BENCH_PATHS": str(path_file)}, capture_output=True, text=True, check=True,
            )
        output = result.stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        p50 = _parse_ms(re.search(r"\s50%\s+([\d.]+\w+)", output).group(1))
        p99 = _parse_ms(re.search(r"\s99%\s+([\d.]+\w+)", output).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        socket_errors = re.search(r"Socket errors: (.*)", output)
        return {"rps": rps, "p50": p50, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0,
                "socket_errors": socket_errors.group(1) if socket_errors else ""}

    def _rounds(self, base, server, rounds, duration, connections, threads, scenarios) -> list[tuple[str, dict]]:
        """Each scenario measured `rounds` times, each time right after the trivial view
        on the same server: the machines are shared, and a load spike during one
        measurement should not decide a ratio. Returns (name, figures) rows
        whose figures are medians and carry each round's ratio."""
        trivials: list[dict] = []
        measured: dict[str, list[dict]] = {name: [] for name, _paths in scenarios}
        for _round in range(rounds):
            for name, paths in scenarios:
                trivial = self._wrk(base, ["/bench/trivial"], duration, connections, threads)
                figures = self._wrk(base, paths, duration, connections, threads)
                figures["ratio"] = figures["rps"] / trivial["rps"] if trivial["rps"] else 0.0
                trivials.append(trivial)
                measured[name].append(figures)
        trivial = _median_figures(trivials)
        rows = [(f"trivial view ({server})", trivial)]
        for name, results in measured.items():
            figures = _median_figures(results)
            figures["ratio"] = statistics.median(result["ratio"] for result in results)
            figures["ratios"] = [result["ratio"] for result in results]
            rows.append((name, figures))
        return rows

    # --- report -------------------------------------------------------------
    def _report(self, rows, workers, connections, threads, duration, redis_url, rounds) -> None:
        self.stdout.write("")
        self.stdout.write(f"gunicorn {workers} sync workers; wrk -t{threads} -c{connections} -d{duration}s over loopback; "
                          f"cache: {'Redis' if redis_url else 'per-process memory'}; {os.cpu_count()} cores (shared); "
                          f"{rounds} rounds, figures are medians, each ratio the median of its rounds' ratios")
        self.stdout.write(f"{'scenario':<42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x trivial':>10} {'target':>8}"
                          "  rounds")
        for name, figures in rows:
            ratio = figures.get("ratio", 1.0)
            target = ""
            if "uncached" in name:
                target = f">= {TARGETS['uncached']}"
            elif "cached" in name:
                target = f">= {TARGETS['cached']}"
            line = (f"{name:<42} {figures['rps']:>9.1f} {figures['p50']:>8.2f} {figures['p99']:>8.2f} "
                    f"{ratio:>10.2f} {target:>8}")
            if "ratios" in figures:
                line += "  " + " ".join(f"{each:.2f}" for each in figures["ratios"])
            if figures["non2xx"] or figures["socket_errors"]:
                line += f"  (non-2xx: {figures['non2xx']}; socket errors: {figures['socket_errors'] or 0})"
            self.stdout.write(line)
        self.stdout.write(f"Target for p99 of an uncached search: <= {TARGETS['p99_uncached_ms']:.0f} ms.")

    def _explain(self) -> None:
        """EXPLAIN (ANALYZE) of the SQL the search page and the API list run
        (portal/hospitals/search_sql.py, portal/medicines/search_sql.py)."""
        from portal.hospitals.models import BorderPoint
        from portal.hospitals.search_sql import hospital_page_query
        from portal.hospitals.selectors import HospitalFilters
        from portal.medicines.search_sql import item_page_query
        from portal.medicines.selectors import ItemFilters

        points = list(BorderPoint.objects.all())
        examples = [
            ("hospital search page '南山眼科' (Traditional/Simplified pairs)",
             hospital_page_query(HospitalFilters(q="南山眼科"), points, "en", 0, 20)),
            ("hospital search page '順德' + programme=connect",
             hospital_page_query(HospitalFilters(q="順德", programme="connect"), points, "zh-hant", 0, 20)),
            ("hospital search page 'shunde eye' (English words)",
             hospital_page_query(HospitalFilters(q="shunde eye"), points, "en", 0, 20)),
            ("hospital search page 'hospital' (broad: most rows match)",
             hospital_page_query(HospitalFilters(q="hospital"), points, "en", 0, 20)),
            ("medicine search API '勞拉替尼'", item_page_query(ItemFilters(q="勞拉替尼"), "zh-hant", 0, 20)),
            ("medicine search API 'corfen'", item_page_query(ItemFilters(q="corfen"), "en", 0, 20)),
        ]
        with connection.cursor() as cursor:
            for title, (sql, params) in examples:
                cursor.execute("EXPLAIN (ANALYZE) " + sql, params)
                self.stdout.write(f"\nEXPLAIN (ANALYZE) {title}:")
                self.stdout.write("\n".join(row[0] for row in cursor.fetchall()))
