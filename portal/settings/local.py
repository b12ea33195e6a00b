"""Developer machine: DEBUG on, console e-mail, everything else from the base."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403
