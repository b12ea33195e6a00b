"""Authentication backends that load the signed-in user with what every page asks
of them (UserManager.for_request): one query per request instead of one per question."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class _LoadsUserForRequest:
    def get_user(self, user_id):
        user = get_user_model().objects.for_request().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_LoadsUserForRequest, ModelBackend):
    pass


class PortalAuthenticationBackend(_LoadsUserForRequest, AuthenticationBackend):
    """allauth's backend (sign-in by e-mail address)."""
