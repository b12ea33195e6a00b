from django.shortcuts import redirect
from django.urls import reverse


class RequireStaffTwoFactorMiddleware:
    """Hospital admins, centre staff and superusers must set up TOTP before they
    can use anything but the pages that set it up (and log out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(("/static/", "/i18n/")):
            if request.session.get("portal_mfa_ok") is not True:
                if user.needs_two_factor and not self._has_totp(user):
                    allowed = (reverse("mfa_activate_totp"), reverse("account_logout"), reverse("mfa_index"))
                    if not request.path.startswith(allowed) and "/accounts/2fa/" not in request.path:
                        return redirect("mfa_activate_totp")
                else:
                    request.session["portal_mfa_ok"] = True
        return self.get_response(request)

    @staticmethod
    def _has_totp(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
