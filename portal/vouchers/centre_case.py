"""The "Voucher activity" section of a resident's case in the service-centre
console, read-only (registered in apps.py through portal.centres.integrations,
shown by vouchers/centre_case.html). The case view has already checked the staff
member's consent and written the access log. The balance only from the configured
registry, labelled; then the pending claims and the last claims made through the
portal."""

from . import selectors

LAST_CLAIMS = 5


def context(resident) -> dict:
    account = selectors.account_of(resident)
    eligible = selectors.eligibility_for(resident).eligible
    values = {"account": account, "eligible": eligible, "pending": [], "claims": [],
              "registry": selectors.registry_view(resident) if eligible else None}
    if account is not None:
        values.update(
            pending=list(selectors.pending_claims_for(resident)),
            claims=list(selectors.claims_of(account)[:LAST_CLAIMS]),
        )
    return values
