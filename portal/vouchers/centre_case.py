"""The "Voucher activity" section of a resident's case in the service-centre
console, read-only (registered in apps.py through portal.centres.integrations).
The case view has already checked the staff member's consent and written the
access log. Four queries whatever the history: account, balance, pending claims,
last entries."""

from django.template.loader import render_to_string

from . import selectors

LAST_ENTRIES = 5


def render(request, staff, resident) -> str:
    account = selectors.account_of(resident)
    context = {"account": account, "balance": 0, "pending": [], "entries": []}
    if account is not None:
        context.update(
            balance=selectors.balance_of(account),
            pending=list(selectors.pending_claims_for(resident)),
            entries=list(selectors.ledger_entries(account)[:LAST_ENTRIES]),
        )
    return render_to_string("vouchers/centre_case.html", context, request=request)
