from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portal.core.client_address import client_ip
from portal.core.site import site_identity

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

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        """The "signed in" message is shown on the page the sign-in leads to, which
        opens in the account's language (get_login_redirect_url): write it in that
        language, not in the language of the sign-in form."""
        language = getattr(request.user, "language", "")
        if message_template == "account/messages/logged_in.txt" and language in dict(settings.LANGUAGES):
            with translation.override(language):
                return super().add_message(request, level, message_template, message_context, extra_tags, message)
        return super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails name the site by the Sites record (one language,
        "example.com" by default): they get the portal's translated name and
        the address from SITE_URL instead."""
        return super().send_mail(template_prefix, email, {**context, "current_site": site_identity()})

    def format_email_subject(self, subject):
        return f"[{site_identity().name}] {subject}"

    def get_client_ip(self, request):
        """The address the sign-in limits count per client: behind our proxies, the
        one they saw (TRUSTED_PROXY_COUNT), never an address the client wrote."""
        return client_ip(request)
