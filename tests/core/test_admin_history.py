"""The change history of what hospital admins edit in the admin is Django's admin log
(docs/decisions/0031-history-and-htmx.md): an edit shows on the object's History page,
and the hospital scoping keeps other hospitals' histories out of reach."""

import pytest

from portal.appointments.models import BookingSettings

pytestmark = pytest.mark.django_db

CHANGE = "/en/admin/appointments/bookingsettings/{}/change/"
HISTORY = "/en/admin/appointments/bookingsettings/{}/history/"
HOSPITAL_HISTORY = "/en/admin/hospitals/hospital/{}/history/"


def edit(client, settings_row, **values):
    data = {"hospital": settings_row.hospital_id, "cancel_cutoff_hours": settings_row.cancel_cutoff_hours,
            "reschedule_cutoff_hours": settings_row.reschedule_cutoff_hours,
            "offer_hold_minutes": settings_row.offer_hold_minutes, **values}
    return client.post(CHANGE.format(settings_row.pk), data)


def test_an_admin_edit_is_in_the_history_of_its_hospital_only(hospital, other_hospital, hospital_admin,
                                                              other_hospital_admin, client_for):
    ours = BookingSettings.objects.create(hospital=hospital)
    theirs = BookingSettings.objects.create(hospital=other_hospital)
    admin, other_admin = client_for(hospital_admin), client_for(other_hospital_admin)
    assert edit(admin, ours, cancel_cutoff_hours=48).status_code == 302
    assert edit(other_admin, theirs, offer_hold_minutes=30).status_code == 302

    history = admin.get(HISTORY.format(ours.pk))
    assert history.status_code == 200
    page = history.content.decode()
    assert "Changed Cancellation cut-off (hours before)." in page and hospital_admin.email in page

    # The other hospital's history, and the history of the other hospital itself, are out of reach.
    for url in (HISTORY.format(theirs.pk), HOSPITAL_HISTORY.format(other_hospital.pk)):
        response = admin.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Waiting-list hold" not in response.content.decode()
    assert other_admin.get(HISTORY.format(ours.pk)).status_code in (302, 403, 404)
    assert admin.get(HOSPITAL_HISTORY.format(hospital.pk)).status_code == 200
