"""The "Voucher activity" section of a resident's case in the service-centre
console, read-only (registered in apps.py through portal.centres.integrations,
shown by vouchers/centre_case.html). The case view has already checked the staff
member's consent and written the access log. Four queries whatever the history: account, balance, pending claims,
last entries."""

from . import selectors

LAST_ENTRIES = 5


def context(resident) -> dict:
    account = selectors.account_of(resident)
    values = {"account": account, "balance": 0, "pending": [], "entries": []}
    if account is not None:
        values.update(
            balance=selectors.balance_of(account),
            pending=list(selectors.pending_claims_for(resident)),
            entries=list(selectors.ledger_entries(account)[:LAST_ENTRIES]),
        )
    return values
