from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation


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
            if user.needs_two_factor and not _has_totp(user):
                return reverse("mfa_activate_totp")
            return reverse(settings.LOGIN_REDIRECT_URL)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
