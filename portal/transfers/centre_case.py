"""The "Ambulance transfers" section of a resident's case in the service-centre
console (registered in apps.py through portal.centres.integrations). The case
view has already checked the staff member's consent and written the access log."""

from django.template.loader import render_to_string

from . import selectors


def render(request, staff, resident) -> str:
    return render_to_string("transfers/centre_case.html", {
        "resident": resident, "transfers": selectors.transfers_of_resident(resident),  # one query
    }, request=request)
