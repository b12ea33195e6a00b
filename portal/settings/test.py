"""Test settings: the base settings with speed-ups; DATABASE_URL and
CELERY_BROKER_URL still come from the environment so CI proves the real parts."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from .base import *  # noqa: E402,F403
from .base import REST_FRAMEWORK, TEMPLATES

DEBUG = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
# Every test client is 127.0.0.1 and ids repeat between tests on SQLite: rates no test
# run reaches (tests/core/test_throttling.py lowers them where throttling is under test).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min")}
ALLOWED_HOSTS = ["*"]
# Unknown template variables are bugs in tests.
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = ""
# Overridable so a real-worker test can give its worker a file backend.
SMS_BACKEND = env("TEST_SMS_BACKEND", default="portal.notifications.backends.LocmemMessageBackend")  # noqa: F405
WHATSAPP_BACKEND = env("TEST_WHATSAPP_BACKEND", default="portal.notifications.backends.LocmemMessageBackend")  # noqa: F405

# Tasks run in-process unless a test starts a real worker (see tests/conftest.py,
# the `celery_worker` fixture), which sets CELERY_EAGER=0 for the worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")  # noqa: F405
# Serve static files from the source folders: tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each pytest-xdist worker gets its own Redis database for the cache: a test's
# cache.clear() is a FLUSHDB, and must not empty the cache under a test running
# in another worker (REDIS_URL=redis://host:6379/1 gives gw0 database 1, gw1 2).
if REDIS_URL:  # noqa: F405
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _base, _, _database = REDIS_URL.rpartition("/")  # noqa: F405
    if _database.isdigit() and _worker.isdigit():
        CACHES["default"]["LOCATION"] = f"{_base}/{int(_database) + int(_worker)}"  # noqa: F405
