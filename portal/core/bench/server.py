"""Starting a benchmark's gunicorn: a free loopback port, and waiting until it serves."""

import os
import socket
import subprocess  # noqa: S404
import time
import urllib.error
import urllib.request

from django.core.management.base import CommandError

# The benchmarks serve the portal as the Procfile does: WEB_CONCURRENCY sync
# workers, 3 unless set. (With 2 workers on 2 cores, a worker waiting on
# PostgreSQL leaves its core idle; the trivial view never waits, so the ratio
# then measured the worker count as much as the page.)
WEB_WORKERS = int(os.environ.get("WEB_CONCURRENCY", "3"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(base: str, server: subprocess.Popen, path: str = "/healthz", timeout: float = 60) -> None:
    """Return once `base + path` answers 200; fail if gunicorn exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer {path} in time")
