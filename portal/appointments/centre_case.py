"""The "Appointments" section of a resident's case in the service-centre console
(registered in apps.py through portal.centres.integrations, shown by
appointments/centre_case.html). The case view has already checked the staff
member's consent and written the access log."""

from . import selectors

RECENT = 5


def context(resident) -> dict:
    lists = selectors.my_appointments(resident=resident)  # one query
    return {"upcoming": lists.upcoming, "recent": lists.past[:RECENT]}
