from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.core.client_address import client_ip

from .second_factor import has_totp


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new account starts in the language the person signed up in.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request):
        """After signing in, continue in the language saved on the account."""
        user = request.user
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            if user.needs_two_factor and not has_totp(user):
                return reverse("mfa_activate_totp")
            return reverse(settings.LOGIN_REDIRECT_URL)

    def get_client_ip(self, request):
        """The address the sign-in limits count per client: behind our proxies, the
        one they saw (TRUSTED_PROXY_COUNT), never an address the client wrote."""
        return client_ip(request)
