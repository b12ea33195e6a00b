"""HTTP benchmark of the production shape (issue #9 item 6). Not a test: it prints
figures next to a baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python manage.py bench_http [--duration 10] [--connections 8] \\
        [--target search=/en/hospitals/?q=shenzhen] [--paths search-uncached=paths.txt]

Steps: migrate the database named by DATABASE_URL, load the demo data and, when
another app provides it, `generate_scaled_data --factor N`; collectstatic (WhiteNoise
compressed files); start gunicorn (production settings, DEBUG off, 2 workers,
--no-control-socket) on a free loopback port; wait for /healthz; drive each target
with wrk from a second process (bounded duration and connections); measure the page
weight of the home page as served (HTML, CSS, JS, fonts, with Accept-Encoding br/gzip);
print a table and write it to bench-results/<timestamp>.md. gunicorn is stopped at
the end whatever happens.

Targets: the TARGETS table below (the trivial view first: every ratio is to it),
plus `--target name=/path` and `--paths name=FILE` (a wrk Lua script picks a random
path from FILE for every request, for varied, uncached queries).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess  # noqa: S404
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError

# (name, path): the baseline first. Domains add their pages here (or on the command line).
TARGETS: list[tuple[str, str]] = [
    ("trivial", "/bench/trivial"),
    ("home", "/en/"),
    ("home zh-hant", "/zh-hant/"),
    ("sign-in page", "/en/accounts/login/"),
]

# A wrk script that requests a random path from the file given after `--`.
LUA_PATHS = """
local paths = {}
init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


@dataclass
class Result:
    name: str
    path: str
    rps: float
    p50: float
    p90: float
    p99: float
    requests: int
    errors: int
    status: int


class Command(BaseCommand):
    help = "Benchmark the portal over HTTP: gunicorn on loopback driven by wrk, plus page weight."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="Seconds per target (default 10).")
        parser.add_argument("--connections", type=int, default=8, help="Open connections (default 8).")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
        parser.add_argument("--warmup", type=int, default=2, help="Seconds of unmeasured warm-up per target.")
        parser.add_argument("--target", action="append", default=[], metavar="NAME=PATH",
                            help="Extra target, e.g. search=/en/hospitals/?q=shenzhen (repeatable).")
        parser.add_argument("--paths", action="append", default=[], metavar="NAME=FILE",
                            help="Target that requests a random path from FILE (one per line) each time.")
        parser.add_argument("--only", action="append", default=[], metavar="NAME",
                            help="Run only these targets from the table (the trivial baseline always runs).")
        parser.add_argument("--factor", type=int, default=100, help="generate_scaled_data --factor (default 100).")
        parser.add_argument("--no-data", action="store_true", help="Skip migrate and data loading.")
        parser.add_argument("--allow-sqlite", action="store_true", help="Run without PostgreSQL (figures not comparable).")
        parser.add_argument("--output-dir", default=str(Path(settings.BASE_DIR) / "bench-results"))

    # --- orchestration ---------------------------------------------------------------
    def handle(self, *args, **options):
        database_url = os.environ.get("DATABASE_URL", "")
        if not database_url.startswith("postgres") and not options["allow_sqlite"]:
            raise CommandError("Set DATABASE_URL=postgres://... (or pass --allow-sqlite for a rough run).")
        wrk = self._ensure_wrk()
        env = self._server_env()
        self._prepare(env, options)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        targets = self._targets(options)
        server = self._start_gunicorn(env, port, options["workers"])
        try:
            self._wait_healthy(base, server)
            results = [self._run_target(wrk, base, name, path, paths_file, options)
                       for name, path, paths_file in targets]
            weight = page_weight(base, "/en/")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        report = self._report(results, weight, options, database_url)
        self.stdout.write(report)
        out_dir = Path(options["output_dir"])
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"{datetime.now().astimezone():%Y%m%d-%H%M%S}.md"
        out.write_text(report, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Written to {out}"))

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

    def _server_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }

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

    def _targets(self, options) -> list[tuple[str, str, str | None]]:
        table = [(n, p) for n, p in TARGETS if not options["only"] or n == "trivial" or n in options["only"]]
        targets: list[tuple[str, str, str | None]] = [(n, p, None) for n, p in table]
        for spec in options["target"]:
            name, _, path = spec.partition("=")
            if not path.startswith("/"):
                raise CommandError(f"--target wants NAME=/path, got {spec!r}")
            targets.append((name, path, None))
        for spec in options["paths"]:
            name, _, file = spec.partition("=")
            paths = [line.strip() for line in Path(file).read_text(encoding="utf-8").splitlines() if line.strip()]
            if not paths:
                raise CommandError(f"{file} has no paths")
            encoded = Path(tempfile.mkstemp(prefix="bench-paths-", suffix=".txt")[1])
            encoded.write_text("\n".join(_quote(p) for p in paths) + "\n", encoding="utf-8")
            targets.append((name, f"{paths[0]} (+{len(paths) - 1} more from {file})", str(encoded)))
        return targets

    def _start_gunicorn(self, env, port: int, workers: int) -> subprocess.Popen:
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--no-control-socket", "--log-level", "warning"]
        self.stdout.write(f"Starting: {' '.join(command[1:])}")
        return subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603

    def _wait_healthy(self, base: str, server: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise CommandError("gunicorn did not answer /healthz in time")

    def _run_target(self, wrk, base, name, path, paths_file, options) -> Result:
        first = path.split(" ")[0]
        status = _status(base + _quote(first))
        url = base + (_quote(first) if paths_file is None else "/")
        command = [wrk, f"-t{options['threads']}", f"-c{options['connections']}", "--latency", "--timeout", "5s"]
        script = None
        if paths_file:
            script = Path(tempfile.mkstemp(prefix="bench-", suffix=".lua")[1])
            script.write_text(LUA_PATHS, encoding="utf-8")
            command += ["-s", str(script)]
        tail = [url] + (["--", paths_file] if paths_file else [])
        self.stdout.write(f"  {name}: {path} (HTTP {status})")
        if options["warmup"]:
            subprocess.run([*command, f"-d{options['warmup']}s", *tail], check=True, capture_output=True)  # noqa: S603
        run = subprocess.run([*command, f"-d{options['duration']}s", *tail], check=True,  # noqa: S603
                             capture_output=True, text=True)
        if script:
            script.unlink()
        return _parse_wrk(name, path, run.stdout, status)

    def _report(self, results: list[Result], weight: dict, options, database_url: str) -> str:
        baseline = results[0].rps or 1.0
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        lines = [
            f"# HTTP benchmark, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
            "",
            f"gunicorn, {options['workers']} sync workers, production settings, {engine}; wrk "
            f"{options['threads']} threads, {options['connections']} connections, {options['duration']} s per target "
            f"after {options['warmup']} s warm-up; loopback on one machine ({os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f} at the end).",
            "",
            "| target | path | HTTP | requests/s | p50 ms | p90 ms | p99 ms | ratio to trivial | non-2xx/3xx |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            lines.append(f"| {r.name} | `{r.path}` | {r.status} | {r.rps:,.0f} | {r.p50:.1f} | {r.p90:.1f} | {r.p99:.1f} "
                         f"| {r.rps / baseline:.2f} | {r.errors} |")
        lines += ["", f"## Page weight of {weight['url']} (as served, Accept-Encoding: br, gzip)", "",
                  "| kind | files | transferred bytes | uncompressed bytes |", "| --- | ---: | ---: | ---: |"]
        for kind in ("html", "css", "js", "font", "image"):
            files, sent, raw = weight["by_kind"].get(kind, (0, 0, 0))
            lines.append(f"| {kind} | {files} | {sent:,} | {raw:,} |")
        lines.append(f"| **total** | {weight['files']} | **{weight['transferred']:,}** | {weight['uncompressed']:,} |")
        lines += ["", "Files: " + ", ".join(f"`{u}` ({enc or 'identity'}, {n:,} B)" for u, enc, n in weight["files_list"]), ""]
        return "\n".join(lines)


# --- helpers ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&%:+,;@-._~")


def _status(url: str) -> int:
    request = urllib.request.Request(url)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not match:
        raise CommandError(f"Cannot read wrk latency {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _parse_wrk(name: str, path: str, output: str, status: int) -> Result:
    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+(\S+)", output, re.MULTILINE)
        return _ms(match.group(1)) if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    error_count = int(errors.group(1)) if errors else 0
    if socket_errors:
        error_count += sum(int(g) for g in socket_errors.groups())
    if not rps:
        raise CommandError(f"Unexpected wrk output for {name}:\n{output}")
    return Result(name, path, float(rps.group(1)), percentile("50"), percentile("90"), percentile("99"),
                  int(total.group(1)) if total else 0, error_count, status)


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and ("stylesheet" in (a.get("rel") or "") or a.get("as") == "font"):
            self.assets.append(("css" if "stylesheet" in (a.get("rel") or "") else "font", a["href"]))
        elif tag == "link" and a.get("href") and "icon" in (a.get("rel") or ""):
            self.assets.append(("image", a["href"]))
        elif tag == "script" and a.get("src"):
            self.assets.append(("js", a["src"]))
        elif tag == "img" and a.get("src"):
            self.assets.append(("image", a["src"]))


def _fetch(url: str) -> tuple[bytes, str, int]:
    """(body as transferred, content-encoding, uncompressed size)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip", "Accept-Language": "en"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        body = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    raw = body
    if encoding == "gzip":
        import gzip

        raw = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        raw = brotli.decompress(body)
    return body, encoding, len(raw)


def page_weight(base: str, path: str) -> dict:
    """Bytes of a page and everything it loads (stylesheets, scripts, fonts from
    @font-face in those stylesheets, icons and images), as the server sends them."""
    seen: dict[str, tuple[str, str, int, int]] = {}

    def get(kind: str, url: str) -> bytes:
        if url in seen:
            return b""
        body, encoding, raw = _fetch(url)
        seen[url] = (kind, encoding, len(body), raw)
        return body

    html_url = base + path
    body, encoding, _raw = _fetch(html_url)
    seen[html_url] = ("html", encoding, len(body), _raw)
    html = _decode(body, encoding)
    parser = _Assets()
    parser.feed(html)
    for kind, href in parser.assets:
        url = urllib.parse.urljoin(html_url, href)
        data = get(kind, url)
        if kind == "css" and data:
            css = _decode(data, seen[url][1])
            for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css):
                if ref.startswith("data:"):
                    continue
                ref_kind = "font" if re.search(r"\.(woff2?|ttf|otf)(\?|$)", ref) else "image"
                get(ref_kind, urllib.parse.urljoin(url, ref))
    by_kind: dict[str, tuple[int, int, int]] = {}
    for kind, _enc, sent, raw in seen.values():
        files, s, r = by_kind.get(kind, (0, 0, 0))
        by_kind[kind] = (files + 1, s + sent, r + raw)
    return {
        "url": path,
        "by_kind": by_kind,
        "files": len(seen),
        "transferred": sum(v[2] for v in seen.values()),
        "uncompressed": sum(v[3] for v in seen.values()),
        "files_list": [(u.replace(base, ""), v[1], v[2]) for u, v in seen.items()],
    }


def _decode(body: bytes, encoding: str) -> str:
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    return body.decode("utf-8", errors="replace")
