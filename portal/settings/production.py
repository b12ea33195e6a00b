"""Production: the base settings, configured entirely by environment variables
(see README, "Configuration"). The default of manage.py, the WSGI application
and Celery, so a process started without a settings module fails closed: DEBUG
must stay off and SECRET_KEY has no default (the web application and Celery
workers stop at start-up without it: portal.core.startup)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG

if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG is on under portal.settings.production. Unset DEBUG (or set DEBUG=0); for development "
        "use DJANGO_SETTINGS_MODULE=portal.settings.local (make run does)."
    )
