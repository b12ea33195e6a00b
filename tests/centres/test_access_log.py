"""The access log: written on every staff read, shown to the resident, append-only."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from portal.centres import services
from portal.centres.models import AccessLogEntry
from tests.centres.conftest import open_case

pytestmark = pytest.mark.django_db


def test_every_staff_read_is_in_the_residents_log_and_only_theirs(client_for, staff_client, centre_staff, resident,
                                                                  other_resident, consent):
    open_case(staff_client, resident, reason="claim")
    staff_client.get(reverse("centres:case", args=[resident.pk]))
    staff_client.get(reverse("centres:case", args=[resident.pk]))
    staff_client.get(reverse("api:centre-resident", args=[resident.pk]), {"why": "Checking the phone number"})
    assert AccessLogEntry.objects.filter(resident=resident).count() == 3
    page = client_for(resident).get(reverse("centres:access_log"))
    text = page.content.decode()
    assert text.count("Insurance claim") >= 2  # the chosen reason, in words
    assert "Checking the phone number" in text
    assert "Profile (through the API)" in text
    assert centre_staff.display_name in text
    # The other resident sees none of it, in the page or the API.
    assert "Checking the phone number" not in client_for(other_resident).get(reverse("centres:access_log")).content.decode()
    assert client_for(other_resident).get(reverse("api:centre-access-log")).json()["count"] == 0
    api = client_for(resident).get(reverse("api:centre-access-log")).json()
    assert api["count"] == 3
    assert {row["what"] for row in api["results"]} == {"case", "profile_api"}


def test_access_log_record_refuses_staff_without_consent(centre_staff, other_resident):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.access_log_record(staff=centre_staff, resident=other_resident, what="appointments", why="enquiry")


def test_access_log_record_for_other_apps(centre_staff, resident, consent):
    entry = services.access_log_record(staff=centre_staff, resident=resident, what="appointments", why="appointment")
    assert entry.centre == consent.centre
    assert entry.what_label == "Appointments"
    assert entry.why_label == "Booking or changing an appointment"


def test_the_portal_cannot_change_or_delete_entries(centre_staff, resident, consent):
    entry = services.access_log_record(staff=centre_staff, resident=resident, what="case", why="enquiry")
    entry.why = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AccessLogEntry.objects.get().why == "enquiry"


def test_admin_is_read_only_for_superusers_and_hidden_from_staff(client_for, superuser, centre_staff, resident, consent):
    entry = services.access_log_record(staff=centre_staff, resident=resident, what="case", why="enquiry")
    admin = client_for(superuser)
    assert admin.get(reverse("admin:centres_accesslogentry_changelist")).status_code == 200
    change = admin.get(reverse("admin:centres_accesslogentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert admin.post(reverse("admin:centres_accesslogentry_change", args=[entry.pk]), {"why": "x"}).status_code == 403
    assert admin.get(reverse("admin:centres_accesslogentry_delete", args=[entry.pk])).status_code == 403
    assert admin.get(reverse("admin:centres_accesslogentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.why == "enquiry"
    assert client_for(centre_staff).get(reverse("admin:centres_accesslogentry_changelist")).status_code == 302


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_and_delete(centre_staff, resident, consent):
    entry = services.access_log_record(staff=centre_staff, resident=resident, what="case", why="enquiry")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(why="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).why == "enquiry"


def test_access_log_page_query_count_does_not_grow(client_for, centre_staff, resident, consent):
    from tests.centres.conftest import count_queries

    client = client_for(resident)
    url = reverse("centres:access_log")
    services.access_log_record(staff=centre_staff, resident=resident, what="case", why="enquiry")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for _index in range(10):
        services.access_log_record(staff=centre_staff, resident=resident, what="case", why="enquiry")
    assert count_queries(lambda: client.get(url)) == one <= 10
