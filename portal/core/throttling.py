"""DRF throttles counting per client address as the sign-in limits do
(portal.core.client_address), not per X-Forwarded-For as DRF does by default.
Counts live in the default cache: Redis in production (REDIS_URL), so every web
process counts together."""

from rest_framework import throttling

from .client_address import client_ip


class _ByClientAddress:
    def get_ident(self, request):
        return client_ip(request._request)


class AnonRateThrottle(_ByClientAddress, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_ByClientAddress, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_ByClientAddress, throttling.ScopedRateThrottle):
    """For views with a `throttle_scope` (e.g. "sensitive": one-time codes)."""
