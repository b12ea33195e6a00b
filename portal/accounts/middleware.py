from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .second_factor import SECOND_FACTOR_MISSING, has_totp, second_factor_verified

# What staff may open before using their second factor in this session: the pages
# that set it up or ask for it, the password check allauth asks for before setting
# it up (none of these counts as the second factor), and signing out.
BEFORE_SECOND_FACTOR = {
    "mfa_activate_totp", "mfa_reauthenticate", "account_reauthenticate", "account_request_reauthentication_code",
    "account_confirm_reauthentication_code", "account_logout",
}


class RequireStaffTwoFactorMiddleware:
    """Hospital admins, centre staff and superusers get nothing but the pages above
    until they have used their second factor in this session (see second_factor.py):
    pages send them to set up TOTP, or to enter a code, and come back; the API
    answers 403. Every door is behind this: pages, the admin, the centre console,
    downloads, the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(("/static/", "/i18n/"))
                and not second_factor_verified(request) and not self._allowed_before(request)):
            return self._ask_for_second_factor(request, user)
        return self.get_response(request)

    @staticmethod
    def _allowed_before(request) -> bool:
        try:
            return resolve(request.path_info).url_name in BEFORE_SECOND_FACTOR
        except Resolver404:
            return False

    @staticmethod
    def _ask_for_second_factor(request, user):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(SECOND_FACTOR_MISSING)}, status=403)
        if not has_totp(user):
            return redirect("mfa_activate_totp")
        return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()}))
