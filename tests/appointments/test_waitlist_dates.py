"""Issue 15: waiting-list dates in 1999 or 9999 were accepted. A resident joins a
waiting list only for a day in the booking window."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.appointments import services
from portal.appointments.models import WaitlistEntry
from portal.appointments.selectors import booking_window


@pytest.mark.parametrize("day", ["1999-06-01", "9999-12-31"])
def test_a_day_outside_the_booking_window_is_refused(client_for, booker, department, day):
    response = client_for(booker).post(reverse("appointments:waitlist_join"), {"department": department.pk, "date": day})
    assert response.status_code < 500
    assert not WaitlistEntry.objects.exists()


def test_the_last_day_of_the_window_is_accepted_and_the_next_refused(booker, department):
    _first, last = booking_window()
    services.waitlist_join(actor=booker, resident=booker, department_id=department.pk, day=last)
    with pytest.raises(services.BookingError, match="up to"):
        services.waitlist_join(actor=booker, resident=booker, department_id=department.pk, day=last + timedelta(days=1))
    assert WaitlistEntry.objects.count() == 1


def test_a_hospital_that_cannot_be_in_an_address_is_not_found(client_for, booker):
    """/appointments/?hospital=… redirects to the hospital's booking page; a value no
    slug can have gave a server error (found by tests/core/test_hostile_input.py)."""
    assert client_for(booker).get(reverse("appointments:index"), {"hospital": "😷 hospital"}).status_code == 404
