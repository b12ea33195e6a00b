"""Fixtures shared by all tests: one user of each role, with scopes that do not
overlap, so every ownership test can use the owner / stranger / other-scope trio."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from tests import factories

# Property tests judge rules, not speed: on a busy CI machine an example may take
# longer than Hypothesis's default 200 ms deadline without anything being wrong.
hypothesis_settings.register_profile("portal", deadline=None)
hypothesis_settings.load_profile("portal")


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database rolls back after a test,
    the cache does not, and a page cached by one test must not show in another."""
    cache.clear()


@pytest.fixture(autouse=True)
def _clear_message_outbox():
    from portal.notifications.backends import LocmemMessageBackend

    LocmemMessageBackend.outbox.clear()
    yield
    LocmemMessageBackend.outbox.clear()


@pytest.fixture
def hospital(db):
    return factories.HospitalFactory(slug="hku-szh", name_en="The University of Hong Kong-Shenzhen Hospital",
                                     name_zh_hant="香港大學深圳醫院", name_zh_hans="香港大学深圳医院")


@pytest.fixture
def other_hospital(db):
    return factories.HospitalFactory(slug="tuen-mun", name_en="Tuen Mun Hospital", name_zh_hant="屯門醫院",
                                     name_zh_hans="屯门医院",
                                     city=factories.CityFactory(code="hong_kong", name_en="Hong Kong", region="hong_kong"))


@pytest.fixture
def centre(db):
    return factories.ServiceCentreFactory(slug="gz-huangpu")


@pytest.fixture
def other_centre(db):
    return factories.ServiceCentreFactory(slug="dg-peoples")


@pytest.fixture
def resident(db):
    return factories.ProfileFactory(user__email="resident@example.com").user


@pytest.fixture
def other_resident(db):
    return factories.ProfileFactory(user__email="stranger@example.com", name_en="LEE Siu Ming", name_zh="李小明").user


def _with_totp(user):
    # Staff must have a second factor; tests mark it as set up.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def hospital_admin(hospital):
    return _with_totp(factories.make_hospital_admin(hospital, email="admin@hku-szh.example.com"))


@pytest.fixture
def other_hospital_admin(other_hospital):
    return _with_totp(factories.make_hospital_admin(other_hospital, email="admin@tuen-mun.example.com"))


@pytest.fixture
def centre_staff(centre):
    return _with_totp(factories.make_centre_staff(centre, email="staff@gz-centre.example.com"))


@pytest.fixture
def other_centre_staff(other_centre):
    return _with_totp(factories.make_centre_staff(other_centre, email="staff@dg-centre.example.com"))


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    return _with_totp(user)


def sign_in(client, user, *, second_factor: bool = True):
    """Sign `user` in on a test client as the sign-in form does: with the second
    factor used in this session when the user has one (what staff need before any
    staff door opens), or, with second_factor=False, by password only."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    client.force_login(user)
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if second_factor and totp is not None:  # no authenticator, no code to enter
        record_authentication(request, user, "mfa", id=totp.pk, type=Authenticator.Type.TOTP)
    request.session.save()
    return client


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as `user` (None: anonymous), with
    the second factor used (second_factor=False: by password only)."""
    from django.test import Client

    def make(user, *, second_factor: bool = True):
        c = Client()
        if user is not None:
            sign_in(c, user, second_factor=second_factor)
        return c

    return make


# --- Real components -------------------------------------------------------
# Tests marked `postgres` prove locking, constraints and search; tests marked
# `broker` run a real Celery worker. Without PostgreSQL or a broker they are
# skipped locally, but in CI (CI=true) a missing component is an error, so
# nothing is silently skipped there.

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402


def _missing_components(item) -> list[str]:
    missing = []
    if item.get_closest_marker("postgres") or item.get_closest_marker("broker"):
        if not django_settings.USING_POSTGRES:
            missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("broker") and not os.environ.get("CELERY_BROKER_URL"):
        missing.append("a Celery broker (set CELERY_BROKER_URL=redis://...)")
    return missing


def pytest_collection_modifyitems(config, items):
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    for item in items:
        missing = _missing_components(item)
        if not missing:
            continue
        if in_ci:
            item.add_marker(pytest.mark.missing_component(f"needs {', '.join(missing)}, which CI must provide"))
        else:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)}"))


@pytest.fixture(autouse=True)
def _fail_when_ci_lacks_a_component(request):
    marker = request.node.get_closest_marker("missing_component")
    if marker is not None:
        pytest.fail(marker.args[0])


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = db["HOST"] or "localhost"
    port = db["PORT"] or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker process consuming a private queue on the real broker,
    using this test's (committed) database. Yields the Celery app."""
    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        env=env,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The Celery worker did not start")
        yield app
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        process.terminate()
        process.wait(timeout=30)


def wait_for(condition, timeout: float = 30.0, interval: float = 0.05):
    """Poll `condition` until it returns something truthy (bounded; not a sleep-based assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("condition not met within timeout")


# --- [fuzz] API fuzzing case count --------------------------------------------
# tests/api/test_schemathesis.py records how many cases each test generated; the
# counts travel with the test reports (also from xdist workers) and are summed here.

def pytest_terminal_summary(terminalreporter):
    from collections import Counter
    from pathlib import Path

    counts: Counter = Counter()
    operations: Counter = Counter()
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        properties = dict(getattr(report, "user_properties", []))
        if "fuzz_cases" in properties and getattr(report, "when", "call") == "call":
            counts[properties["fuzz_role"]] += properties["fuzz_cases"]
            operations[properties["fuzz_role"]] += 1
    if not counts:
        return
    lines = [f"{role}: {counts[role]} cases over {operations[role]} operations" for role in sorted(counts)]
    lines.append(f"total: {sum(counts.values())} cases")
    terminalreporter.write_sep("-", "API fuzzing (schemathesis)")
    for line in lines:
        terminalreporter.write_line(line)
    artifacts = Path(terminalreporter.config.rootpath) / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "fuzz-summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
