"""Issue 15: transfer dates in 1999 or 9999 were accepted. A preferred date lies
in the booking window (appointments.selectors.booking_window), on the page and
in the API alike (the filing service checks it)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.appointments.selectors import booking_window
from portal.transfers.models import TransferRequest

from .conftest import submit


@pytest.mark.parametrize("preferred", ["1999-06-01", "9999-12-31"])
def test_a_date_outside_the_booking_window_is_refused(client_for, resident, route, preferred):
    body = {"route": route.pk, "patient_kind": "self", "clinical_summary": "Stable after stroke.",
            "preferred_date": preferred, "consent_to_share": True}
    response = client_for(resident).post("/api/v1/transfers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "Choose a preferred date between" in str(response.json())
    assert not TransferRequest.objects.exists()


def test_the_window_runs_from_today_to_its_last_day(resident, route):
    first, last = booking_window()
    assert first == timezone.localdate()
    for day in (first, last):
        assert submit(resident, route, preferred_date=day).preferred_date == day
    for day in (first - timedelta(days=1), last + timedelta(days=1), date(9999, 12, 31)):
        with pytest.raises(Exception, match="Choose a preferred date between"):
            submit(resident, route, preferred_date=day)
