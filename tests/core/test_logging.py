"""Issue 15, "identity numbers reach the access log": gunicorn logged
/en/hospitals/?q=A123456(3) as it came. The web process of the Procfile now
redacts HKID, Macao ID and travel-permit numbers from every access and error log
line, with the same pattern as the portal's own log lines."""

import logging
import os
import shlex
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from portal.core.logging import RedactIdentityNumbersFilter, redact_identity_numbers
from tests.conftest import wait_for

NUMBERS = ["A123456(3)", "a123456%283%29", "AB987654%20%283%29", "1234567(8)", "2345678%289%29", "H12345678",
           "M1234567890", "C6686689"]


@pytest.mark.parametrize("number", NUMBERS)
def test_each_form_of_an_identity_number_is_redacted(number):
    assert redact_identity_numbers(f"GET /en/hospitals/?q={number}&page=2 HTTP/1.1") == \
        "GET /en/hospitals/?q=[redacted-id]&page=2 HTTP/1.1"


@pytest.mark.parametrize("text", ["GET /en/transfers/123/ HTTP/1.1", "page=2&city=shenzhen", "2026-11-24 10:00:00",
                                  "slot 1234567"])
def test_other_numbers_are_left_alone(text):
    assert redact_identity_numbers(text) == text


def test_the_portals_own_log_lines_are_redacted(caplog):
    logger = logging.getLogger("portal.test.redaction")
    logger.addFilter(RedactIdentityNumbersFilter())
    with caplog.at_level(logging.INFO, logger="portal.test.redaction"):
        logger.info("Search for %s by %s", "1234567(8)", "M12345678")
    assert "1234567" not in caplog.text and "M12345678" not in caplog.text
    assert caplog.text.count("[redacted-id]") == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _procfile_web_command(port: int, access_log: Path) -> list[str]:
    """The Procfile's web command as deployed, on a free port with one worker and
    the access log written to a file."""
    line = next(line for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines()
                if line.startswith("web:"))
    line = line.removeprefix("web:").replace("${PORT:-8000}", str(port)).replace("${WEB_CONCURRENCY:-3}", "1")
    words = shlex.split(line)
    words[words.index("--access-logfile") + 1] = str(access_log)
    words[words.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", *words]


def test_the_web_servers_access_log_has_no_identity_number(tmp_path):
    port, access_log = _free_port(), tmp_path / "access.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "PYTHONPATH": str(settings.BASE_DIR)}
    server = subprocess.Popen(_procfile_web_command(port, access_log), cwd=settings.BASE_DIR, env=env,  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # An address no view serves: its 404 is logged like any answer, and needs no database.
    url = f"http://127.0.0.1:{port}/no-such-page?q=A123456%283%29&permit=H12345678&id=1234567(8)"
    try:
        def answered():
            try:
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return None if server.poll() is None else "exited"
        assert wait_for(answered, timeout=60) == 404
        logged = wait_for(lambda: access_log.read_text() if access_log.exists() and access_log.stat().st_size else "")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "/no-such-page" in logged
    for number in ("A123456", "H12345678", "1234567"):
        assert number not in logged
    assert logged.count("[redacted-id]") == 3
