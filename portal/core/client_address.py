"""The address of the client behind a request: what sign-in limits (allauth) and
API throttles (DRF) count per address. One rule for both."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR; with TRUSTED_PROXY_COUNT = N proxies of ours in front, the N-th
    address from the right of X-Forwarded-For: the one the outermost of our
    proxies saw (each proxy appends the address it got the request from). Entries
    further left are whatever the client wrote, so they are never read; a header
    too short for N, or not an address, means the request did not come through our
    proxies, and REMOTE_ADDR is used."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return remote
