"""Escort requests: resident or staff asks, the centre assigns, both are told in
their own language, and the resident sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.centres import services
from portal.centres.models import EscortRequest
from portal.notifications.models import Notification
from tests.centres.conftest import open_case

pytestmark = pytest.mark.django_db


def _visit(days=3):
    return (timezone.localtime() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)


def test_resident_asks_for_an_escort_from_a_consenting_centre(client_for, resident, consent, visit_hospital):
    client = client_for(resident)
    response = client.post(reverse("centres:my_escorts"), {
        "centre": consent.centre.pk, "language": "yue", "hospital": visit_hospital.pk,
        "visit_at": _visit().strftime("%Y-%m-%dT%H:%M"), "appointment_reference": "GZ-778",
    })
    assert response.status_code == 302
    escort = EscortRequest.objects.get()
    assert (escort.requested_by, escort.status) == (resident, "requested")
    page = client.get(reverse("centres:my_escorts")).content.decode()
    assert "GZ-778" in page and "Waiting for an escort" in page
    assert Notification.objects.filter(recipient=resident, event="centres_escort_requested").exists()


def test_resident_form_errors_keep_input_and_refuse_past_and_foreign_centres(client_for, resident, consent,
                                                                              other_centre, visit_hospital):
    client = client_for(resident)
    past = client.post(reverse("centres:my_escorts"), {
        "centre": consent.centre.pk, "language": "pt", "hospital": visit_hospital.pk,
        "visit_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "appointment_reference": "KEEP-ME",
    })
    assert past.status_code == 400
    assert "KEEP-ME" in past.content.decode() and "in the future" in past.content.decode()
    other = client.post(reverse("centres:my_escorts"), {
        "centre": other_centre.pk, "language": "pt", "hospital": visit_hospital.pk,
        "visit_at": _visit().strftime("%Y-%m-%dT%H:%M"),
    })
    assert other.status_code == 400
    assert not EscortRequest.objects.exists()


def test_staff_request_on_behalf_and_assign_both_notified_in_their_languages(
        client_for, staff_client, centre_staff, resident, consent, visit_hospital):
    resident.language = "zh-hant"
    resident.save()
    centre_staff.language = "zh-hans"
    centre_staff.save()
    open_case(staff_client, resident, reason="escort")
    response = staff_client.post(reverse("centres:escort_new_for", args=[resident.pk]), {
        "language": "yue", "hospital": visit_hospital.pk, "visit_at": _visit().strftime("%Y-%m-%dT%H:%M"),
    })
    assert response.status_code == 302
    escort = EscortRequest.objects.get()
    assert escort.requested_by == centre_staff and escort.resident == resident
    requested = Notification.objects.get(recipient=resident, event="centres_escort_requested")
    assert "廣州開發區醫院" in requested.body and requested.language == "zh-hant"

    prefix = f"e{escort.pk}"
    assert staff_client.get(reverse("centres:escorts")).status_code == 200
    response = staff_client.post(reverse("centres:escort_assign", args=[escort.pk]), {f"{prefix}-staff_member": centre_staff.pk})
    assert response.status_code == 302
    escort.refresh_from_db()
    assert (escort.status, escort.assigned_to, escort.assigned_by) == ("assigned", centre_staff, centre_staff)
    to_resident = Notification.objects.get(recipient=resident, event="centres_escort_assigned")
    to_staff = Notification.objects.get(recipient=centre_staff, event="centres_escort_assignment")
    from django.utils import translation

    from portal.centres.models import EscortLanguage

    with translation.override("zh-hant"):
        cantonese = str(EscortLanguage("yue").label)
    assert to_resident.language == "zh-hant" and "陪同" in to_resident.subject and f"：{cantonese}" in to_resident.body
    assert to_staff.language == "zh-hans" and "陪同" in to_staff.subject and "广州开发区医院" in to_staff.body
    page = client_for(resident).get(reverse("centres:my_escorts")).content.decode()
    assert "Escort assigned" in page and centre_staff.display_name in page


def test_escort_can_only_be_assigned_to_own_centres_staff(centre_staff, other_centre_staff, resident, consent, visit_hospital):
    from django.core.exceptions import PermissionDenied, ValidationError

    escort = services.escort_request_create(actor=resident, resident=resident, centre=consent.centre, language="en",
                                            hospital=visit_hospital, visit_at=_visit())
    with pytest.raises(ValidationError):
        services.escort_assign(actor=centre_staff, escort_id=escort.pk, staff_member=other_centre_staff)
    with pytest.raises(PermissionDenied):
        services.escort_assign(actor=other_centre_staff, escort_id=escort.pk, staff_member=other_centre_staff)


def test_other_centre_cannot_assign_and_resident_can_cancel(client_for, other_centre_staff, resident, other_resident,
                                                             consent, visit_hospital):
    escort = services.escort_request_create(actor=resident, resident=resident, centre=consent.centre, language="en",
                                            hospital=visit_hospital, visit_at=_visit())
    other = client_for(other_centre_staff)
    assert other.post(reverse("centres:escort_assign", args=[escort.pk]),
                      {f"e{escort.pk}-staff_member": other_centre_staff.pk}).status_code in (302, 404)
    escort.refresh_from_db()
    assert escort.assigned_to is None
    assert client_for(other_resident).post(reverse("centres:my_escort_cancel", args=[escort.pk])).status_code == 404
    assert client_for(resident).post(reverse("centres:my_escort_cancel", args=[escort.pk])).status_code == 302
    escort.refresh_from_db()
    assert escort.status == "cancelled"
