"""The shared Playwright harness: Debian's chromium against pytest-django's live_server.

Fixtures for every browser journey (each domain adds its own test files here):

- ``page_in(locale, **context_args)``: a new page whose browser sends that locale
  (``Accept-Language`` and ``navigator.language``), with ``base_url`` set to the live
  server, so ``page.goto("/")`` works. Every test may open several.
- ``login_as(page, user)``: signs ``user`` in for that page's context by copying a
  session cookie made with ``tests.conftest.sign_in`` (no sign-in form; the session
  records the second factor as used, as staff need).
- ``snap(page, name)``: a full-page screenshot saved as
  ``artifacts/screenshots/<test name>/<nn>-<name>.png`` (CI keeps ``artifacts/``).
  A failing test also gets ``failure-<n>.png`` of each page still open.

Every test in tests/browser/ gets the ``browser`` marker. The tests use transactional
database access (the live server runs in other threads); tests/conftest.py puts the
migration-made rows (groups, permissions, site) back after each such test, so later
tests in the same worker, and the next ``--reuse-db`` run, still find them.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse database access from it. Set at import, before any test touches the DB.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent

# Accept-Language a real browser of each locale sends.
ACCEPT_LANGUAGE = {
    "zh-HK": "zh-HK,zh;q=0.9,en;q=0.8",
    "zh-TW": "zh-TW,zh;q=0.9,en;q=0.8",
    "zh-MO": "zh-MO,zh;q=0.9,en;q=0.8",
    "zh-CN": "zh-CN,zh;q=0.9,en;q=0.8",
    "en-GB": "en-GB,en;q=0.9",
    "en-US": "en-US,en;q=0.9",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's chromium
    (Playwright cannot download its own browsers here)."""
    if not Path(CHROMIUM).exists():
        raise pytest.UsageError(f"{CHROMIUM} is missing: run scripts/ensure-system-packages")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-base-url's fixture (deprecated form, an error under our
    warnings policy): plain ``page``/``context`` fixtures also reach the live server."""
    return live_server.url


@pytest.fixture(autouse=True)
def _browser_db(live_server):
    """Browser tests share the database with the live server, so they use
    transactional access: every table is emptied after the test, and the role
    groups come back through post_migrate (portal.accounts.roles.sync_role_groups)."""
    yield


def _test_dir_name(node) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", node.name).strip("-")


@pytest.fixture
def page_in(new_context, live_server, request):
    """page_in("zh-HK") -> a Page in a fresh context speaking that locale."""
    pages = []

    def make(locale: str = "en-GB", **context_args):
        headers = {"Accept-Language": ACCEPT_LANGUAGE.get(locale, f"{locale},en;q=0.5")}
        context_args.setdefault("viewport", {"width": 1280, "height": 900})
        context = new_context(locale=locale, extra_http_headers=headers, **context_args)
        context.set_default_timeout(15_000)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = ARTIFACTS / _test_dir_name(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages, start=1):
            if not page.is_closed():
                page.screenshot(path=str(folder / f"failure-{number}.png"), full_page=True)


@pytest.fixture
def login_as(live_server):
    """login_as(page, user): that page's browser context is now signed in as user."""
    from django.test import Client

    from tests.conftest import sign_in

    def login(page, user):
        client = sign_in(Client(), user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url,
            "httpOnly": True, "sameSite": "Lax",
        }])
        return page

    return login


@pytest.fixture
def snap(request):
    """snap(page, "signed-up") saves artifacts/screenshots/<test>/<nn>-signed-up.png."""
    folder = ARTIFACTS / _test_dir_name(request.node)
    shutil.rmtree(folder, ignore_errors=True)
    count = 0

    def take(page, name: str) -> Path:
        nonlocal count
        count += 1
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{count:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
