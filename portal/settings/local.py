"""Developer machine: DEBUG on, console e-mail, everything else from the base.
Chosen explicitly (make run, make messages, DJANGO_SETTINGS_MODULE=portal.settings.local):
manage.py, the WSGI application and Celery default to the production settings."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
