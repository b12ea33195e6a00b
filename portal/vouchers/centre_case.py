"""The "Voucher activity" section of a resident's case in the service-centre
console, read-only (registered in apps.py through portal.centres.integrations).
The case view has already checked the staff member's consent and written the
access log. The balance only from the configured registry, labelled; then the
pending claims and the last claims made through the portal."""

from django.template.loader import render_to_string

from . import selectors

LAST_CLAIMS = 5


def render(request, staff, resident) -> str:
    account = selectors.account_of(resident)
    eligible = selectors.eligibility_for(resident).eligible
    context = {"account": account, "eligible": eligible, "pending": [], "claims": [],
               "registry": selectors.registry_view(resident) if eligible else None}
    if account is not None:
        context.update(
            pending=list(selectors.pending_claims_for(resident)),
            claims=list(selectors.claims_of(account)[:LAST_CLAIMS]),
        )
    return render_to_string("vouchers/centre_case.html", context, request=request)
