"""Developer machine: DEBUG on, console e-mail, everything else from the base."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

# vouchers: the demo shows balances from the voucher system simulator (labelled
# as such on every page); set VOUCHER_REGISTRY to another registry, or to "" for none.
VOUCHER_REGISTRY = env("VOUCHER_REGISTRY", default="portal.vouchers.simulator.SimulatedVoucherRegistry")  # noqa: F405
