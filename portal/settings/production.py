"""Production: the base settings, configured entirely by environment variables
(see README, "Configuration"). DEBUG must stay off; SECRET_KEY has no default."""

from .base import *  # noqa: F403
from .base import DEBUG

if DEBUG:
    raise RuntimeError("portal.settings.production must not run with DEBUG on")
