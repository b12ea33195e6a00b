"""What a serving process (the web application, a Celery worker) needs before it
takes work, checked when it starts rather than on its first request or task."""

from django.core.exceptions import ImproperlyConfigured

STARTUP_HELP = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or a SECRET_KEY= line in .env "
    "next to manage.py) to a long random value, for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. On a developer machine, use "
    "the local settings instead: DJANGO_SETTINGS_MODULE=portal.settings.local (make run does)."
)


def require_secret_key() -> None:
    """Stop start-up, saying what to set, when SECRET_KEY is empty. Django itself
    refuses to read an empty key (so nothing is ever signed with one); this only
    brings the refusal forward to start-up, with a sentence an operator can act on."""
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 (reading it is the check)
    except ImproperlyConfigured as empty:
        raise ImproperlyConfigured(STARTUP_HELP) from empty
