"""The "Appointments" section of a resident's case in the service-centre console
(registered in apps.py through portal.centres.integrations). The case view has
already checked the staff member's consent and written the access log."""

from django.template.loader import render_to_string

from . import selectors

RECENT = 5


def render(request, staff, resident) -> str:
    lists = selectors.my_appointments(resident=resident)  # one query
    return render_to_string("appointments/centre_case.html", {
        "acting_for": resident, "upcoming": lists.upcoming, "recent": lists.past[:RECENT],
    }, request=request)
