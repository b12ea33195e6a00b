"""Staff (hospital admins, centre staff, superusers) must use their second factor
(TOTP) in every session before any door gives them staff data: pages, the admin,
the centre console, downloads (RequireStaffTwoFactorMiddleware) and the API
(SessionAuthenticationWithSecondFactor). Both ask `second_factor_verified`.

A session counts as verified when allauth has recorded an "mfa" authentication
in it: the code asked for at sign-in, the code typed to activate TOTP (recorded
below), or the code asked for by the reauthentication page that the middleware
sends staff to. A password alone, a session made before staff status was granted,
and HTTP Basic (switched off) open nothing."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

SECOND_FACTOR_MISSING = _("Finish two-step sign-in first: staff accounts enter the code from their "
                          "authenticator app in every session.")


def second_factor_verified(request, user=None) -> bool:
    """True unless `user` (default: the request's) is staff who has not used the
    second factor in this session. `request` is Django's HttpRequest (the answer
    is kept on it, as the middleware and the API both ask)."""
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return True
    known = getattr(request, "_portal_second_factor", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    used = any(record.get("method") == "mfa" for record in get_authentication_records(request, user))
    verified = used or not user.needs_two_factor
    request._portal_second_factor = (user.pk, verified)
    return verified


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def count_activation_as_use(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    """allauth's `authenticator_added`: activating TOTP takes a code the new
    authenticator made, which proves the second factor as much as the sign-in
    stage does, so the session that activated it counts as verified (allauth
    itself records only sign-in and reauthentication codes)."""
    from allauth.account.internal.flows.login import record_authentication

    if request is None or authenticator is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


class SessionAuthenticationWithSecondFactor(SessionAuthentication):
    """The API's only authentication: the browser's session, with DRF's CSRF check,
    refused (403) for staff who have not used their second factor in this session.
    No HTTP Basic and no tokens (docs/decisions/0040-api-authentication.md)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and not second_factor_verified(request._request, result[0]):
            raise exceptions.AuthenticationFailed(SECOND_FACTOR_MISSING)
        return result
