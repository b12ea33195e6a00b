"""The "Ambulance transfers" section of a resident's case in the service-centre
console (registered in apps.py through portal.centres.integrations, shown by
transfers/centre_case.html). The case view has already checked the staff member's
consent and written the access log."""

from . import selectors


def context(resident) -> dict:
    return {"transfers": selectors.transfers_of_resident(resident)}  # one query
