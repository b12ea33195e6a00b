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


@pytest.mark.parametrize("crossing", ["0001-01-01T00:00:00", "9999-12-31T23:59:00", "1999-06-01T10:00:00"])
def test_a_crossing_time_outside_the_booking_window_is_refused(client_for, transfer, sending_admin, receiving_admin,
                                                              crossing):
    url = f"/api/v1/transfers/{transfer.pk}/moves/"
    client_for(sending_admin).post(url, {"to": "clinically_reviewed"}, content_type="application/json")
    client_for(receiving_admin).post(url, {"to": "accepted"}, content_type="application/json")
    response = client_for(sending_admin).post(url, {
        "to": "crossing_preregistered", "vehicle_plate_hk_macao": "AM1234", "vehicle_plate_mainland": "粤B·A1234港",
        "crew": "Dr LAU", "documents_checked": True, "crossing_border_point": transfer.border_point.code,
        "crossing_at": crossing}, content_type="application/json")
    assert response.status_code == 400
    # Year 1 cannot even be placed in Hong Kong time: the field's own error.
    assert any(text in str(response.json()) for text in ("Choose a crossing time between", "out of range"))
    transfer.refresh_from_db()
    assert transfer.state == "accepted" and transfer.crossing_at is None
