"""Issue 15, "production fails open": every entry point a server or an operator
starts without naming a settings module runs the production settings (DEBUG
off), a missing SECRET_KEY stops start-up with a sentence saying what to set,
and the developer settings are the ones `make run` asks for by name.

Each case starts a fresh interpreter: settings are read once per process."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW = "from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
ENTRY_POINTS = {
    "wsgi": [sys.executable, "-c", f"import portal.wsgi; {SHOW}"],
    "celery": [sys.executable, "-c", f"import portal.celery; {SHOW}"],
    "manage.py": [sys.executable, "manage.py", "shell", "--verbosity=0", "-c", SHOW],
}


def _run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items()
             if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL",
                            "REDIS_URL"}}
    return subprocess.run(command, env={**clean, **env}, cwd=settings.BASE_DIR,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_entry_points_default_to_the_production_settings(entry_point):
    result = _run(ENTRY_POINTS[entry_point], SECRET_KEY="a-long-random-production-secret-" * 2,
                  ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["portal.settings.production", "False"]


def test_a_missing_secret_key_stops_start_up_and_says_what_to_set():
    result = _run(ENTRY_POINTS["wsgi"])
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_celery_worker_without_the_secret_key_stops_as_it_starts():
    # Without the step in portal/celery.py the worker would go on to wait for a broker
    # (none is set here) until the timeout fails the test.
    result = _run([sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"])
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


def test_commands_that_sign_nothing_run_without_the_secret_key():
    """An operator's or a hook's plain `manage.py makemigrations --check` (production
    settings, no secret) checks the migrations instead of stopping."""
    result = _run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_nothing_is_signed_with_an_empty_key():
    show = "from django.core import signing; signing.dumps('x')"
    result = _run([sys.executable, "manage.py", "shell", "--verbosity=0", "-c", show])
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty." in result.stderr


def test_debug_is_refused_under_the_production_settings():
    result = _run(ENTRY_POINTS["wsgi"], SECRET_KEY="x" * 50, DEBUG="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG is on under portal.settings.production" in result.stderr


def test_the_developer_settings_are_asked_for_by_name():
    """What `make run` gets: DEBUG, SQLite, e-mail on the console, Celery in-process,
    and no secret needed."""
    show = ("from django.conf import settings as s; "
            "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.CELERY_TASK_ALWAYS_EAGER)")
    result = _run([sys.executable, "manage.py", "shell", "--verbosity=0", "-c", show], DJANGO_SETTINGS_MODULE="portal.settings.local")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3",
                                     "django.core.mail.backends.console.EmailBackend", "True"]
