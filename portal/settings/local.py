"""Developer machine: DEBUG on, console e-mail, everything else from the base.
Chosen explicitly (make run, make messages, DJANGO_SETTINGS_MODULE=portal.settings.local):
manage.py, the WSGI application and Celery default to the production settings."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

# vouchers: the demo shows balances from the voucher system simulator (labelled
# as such on every page); set VOUCHER_REGISTRY to another registry, or to "" for none.
VOUCHER_REGISTRY = env("VOUCHER_REGISTRY", default="portal.vouchers.simulator.SimulatedVoucherRegistry")  # noqa: F405
