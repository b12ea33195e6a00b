"""Serving the portal as the Procfile does, and driving it with wrk."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIVIAL = "/bench/trivial"


def procfile_workers() -> int:
    """The web worker count of the Procfile: WEB_CONCURRENCY, else its default."""
    if "WEB_CONCURRENCY" in os.environ:
        return int(os.environ["WEB_CONCURRENCY"])
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    return int(re.search(r"WEB_CONCURRENCY:-(\d+)", web).group(1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[str]:
    """gunicorn on a free loopback port with the benchmark's settings; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--no-control-socket", "--log-level", "warning"]
    server = subprocess.Popen(command, env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}, cwd=ROOT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while status(base + TRIVIAL) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start (exit code {server.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def status(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def quote(path: str) -> str:
    """A path as wrk sends it: non-ASCII query text percent-encoded."""
    return urllib.parse.quote(path, safe="/?=&%:+,;@-._~")


# GET a random path of the file given after `--`, as a random session of the
# second file (if any): every answer is counted by status.
LUA_GET = """
local paths, sessions = {}, {}
statuses = {}
local threads = {}
setup = function(thread) threads[#threads + 1] = thread; thread:set("id", #threads) end
init = function(args)
  for line in io.lines(args[1]) do if #line > 0 then paths[#paths + 1] = line end end
  if args[2] then for line in io.lines(args[2]) do if #line > 0 then sessions[#sessions + 1] = line end end end
  math.randomseed(os.time() * 100 + id)
end
request = function()
  local headers = {}
  if #sessions > 0 then headers["Cookie"] = "sessionid=" .. sessions[math.random(#sessions)] end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
response = function(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("statuses")) do io.write(string.format("STATUS %s %d\\n", key, n)) end
  end
end
"""


@dataclass
class Result:
    rps: float
    p50: float
    p99: float
    requests: int
    answers: dict[str, int] = field(default_factory=dict)  # status -> count
    socket_errors: int = 0

    @property
    def failed(self) -> int:
        """Answers that are not 2xx, and socket errors."""
        return sum(n for key, n in self.answers.items() if not key.startswith("2")) + self.socket_errors


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> Result:
    def percentile(p: str) -> float:
        match = re.search(rf"^\s+{p}%\s+(\S+)", output, re.MULTILINE)
        return _ms(match.group(1)) if match else float("nan")

    answers: Counter[str] = Counter()
    for key, n in re.findall(r"^STATUS (\d{3}) (\d+)$", output, re.MULTILINE):
        answers[key] += int(n)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=percentile("50"), p99=percentile("99"),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        answers=dict(answers), socket_errors=sum(map(int, sockets.groups())) if sockets else 0,
    )


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing: apt-get install wrk")
    return found


def run_wrk(base: str, paths: list[str], *, sessions: list[str] = (), seconds: int, connections: int,
            threads: int = 2, warmup: int = 2) -> Result:
    """wrk against random `paths` (as random `sessions`, if given) after an unmeasured warm-up."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        files = [Path(folder, "paths.txt"), Path(folder, "sessions.txt")]
        files[0].write_text("\n".join(quote(path) for path in paths) + "\n", encoding="utf-8")
        files[1].write_text("\n".join(sessions) + "\n", encoding="utf-8")
        script = Path(folder, "get.lua")
        script.write_text(LUA_GET, encoding="utf-8")
        arguments = ["--", str(files[0])] + ([str(files[1])] if sessions else [])
        output = ""
        for duration in (warmup, seconds):
            output = subprocess.run(  # noqa: S603
                [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s",
                 "-s", str(script), base + "/", *arguments], check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)
