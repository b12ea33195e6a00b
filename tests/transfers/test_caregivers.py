"""Caregivers request and follow an elder's transfers as the elder allows; the
documents (medical ones) stay the elder's to share."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.care import services as care_services
from portal.centres.models import AccessLogEntry
from portal.notifications.models import Notification
from portal.transfers import services
from portal.transfers.models import TransferRequest
from tests import factories

from .conftest import submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def care_link(resident):
    return factories.make_caregiver(resident, email="daughter-care@example.com")


@pytest.fixture
def caregiver(care_link):
    return care_link.caregiver


def payload(route, **extra):
    return {"route": route.pk, "patient_kind": "self", "clinical_summary": "Stable after stroke.",
            "preferred_date": (date.today() + timedelta(days=3)).isoformat(), "consent_to_share": True, **extra}


def test_a_caregiver_files_for_the_elder_through_the_api(client_for, resident, caregiver, care_link, route):
    response = client_for(caregiver).post("/api/v1/transfers/", payload(route, resident=resident.pk),
                                          content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["acting_for"] == {"id": resident.pk, "name": resident.display_name, "role": "caregiver"}
    transfer = TransferRequest.objects.get()
    assert (transfer.requester, transfer.filed_by, transfer.patient_user) == (resident, caregiver, resident)
    timeline = client_for(resident).get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).content.decode()
    assert f"by your daughter {caregiver.display_name}" in timeline
    assert transfer.events.get().care_link == care_link
    assert Notification.objects.filter(recipient=resident, event="transfer_state_changed").exists()  # the elder is told
    copy = Notification.objects.get(recipient=caregiver, event="transfer_state_changed")
    assert copy.care_link == care_link and copy.language == "zh-hans"


def test_without_the_right_403_with_a_reason_and_strangers_404(client_for, resident, care_link, route,
                                                                other_resident):
    care_services.care_link_change(actor=resident, link_id=care_link.pk, rights=["appointments"])
    refused = client_for(care_link.caregiver).post("/api/v1/transfers/", payload(route, resident=resident.pk),
                                                   content_type="application/json")
    assert refused.status_code == 403 and "request or follow their transfers" in refused.json()["detail"]
    assert client_for(other_resident).post("/api/v1/transfers/", payload(route, resident=resident.pk),
                                           content_type="application/json").status_code == 404
    assert not TransferRequest.objects.exists()


def test_a_caregiver_files_only_with_the_elder_as_the_patient(resident, caregiver, route):
    with pytest.raises(services.TransferError):
        submit(resident, route, actor=caregiver, patient_kind="person", patient_name="Someone else")


def test_a_caregiver_follows_sees_details_and_may_cancel(client_for, resident, caregiver, care_link, route):
    transfer = submit(resident, route)
    page = client_for(caregiver).get(reverse("transfers:detail", kwargs={"pk": transfer.pk}))
    assert page.status_code == 200 and "Stable after stroke." in page.content.decode()
    assert f"You are following this transfer as the caregiver of {resident.display_name}." in page.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.resident, entry.care_link, entry.what) == (caregiver, resident, care_link, "transfers")
    answer = client_for(caregiver).get(f"/api/v1/transfers/{transfer.pk}/").json()
    assert answer["acting_for"] == {"id": resident.pk, "name": resident.display_name, "role": "caregiver"}
    assert client_for(resident).get(f"/api/v1/transfers/{transfer.pk}/").json()["acting_for"] is None
    services.transfer_cancel(actor=caregiver, transfer=transfer, note="Family decided to wait")
    transfer.refresh_from_db()
    assert transfer.state == "cancelled" and transfer.events.get(to_state="cancelled").care_link == care_link


def test_medical_documents_stay_with_the_elder(client_for, resident, caregiver, route):
    transfer = submit(resident, route)
    with pytest.raises(services.PermissionDenied):
        services.attachment_add(actor=caregiver, transfer=transfer,
                                upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"))
    form = client_for(caregiver).get(reverse("transfers:new_for", args=[resident.pk])).content.decode()
    assert 'name="attachment"' not in form
    assert 'name="attachment"' in client_for(resident).get(reverse("transfers:new")).content.decode()


def test_after_revocation_nothing(client_for, resident, care_link, route):
    transfer = submit(resident, route)
    care_services.care_link_revoke(actor=resident, link_id=care_link.pk)
    client = client_for(care_link.caregiver)
    assert client.get(reverse("transfers:detail", kwargs={"pk": transfer.pk})).status_code == 404
    refused = client.get(reverse("transfers:new_for", args=[resident.pk]))
    assert refused.status_code == 403 and "has not given you permission" in refused.content.decode()
    with pytest.raises(services.PermissionDenied):
        services.transfer_cancel(actor=care_link.caregiver, transfer=transfer, note="no")


def test_a_link_limited_to_one_transfer_follows_only_it(client_for, resident, route, follower):
    from .conftest import follow

    followed, other = submit(resident, route), submit(resident, route)
    follow(followed, follower)
    client = client_for(follower)
    page = client.get(reverse("transfers:detail", kwargs={"pk": followed.pk})).content.decode()
    assert followed.reference in page and "Stable after stroke." not in page  # the timeline, no clinical details
    assert client.get(reverse("transfers:detail", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("transfers:new_for", args=[resident.pk])).status_code == 403


def test_who_may_request_for_whom(resident, caregiver, care_link, other_resident, consenting_staff):
    from portal.transfers.selectors import may_request_transfer_for

    assert may_request_transfer_for(resident, resident)
    assert may_request_transfer_for(caregiver, resident)
    assert may_request_transfer_for(consenting_staff, resident)
    assert not may_request_transfer_for(other_resident, resident)
    assert not may_request_transfer_for(caregiver, other_resident)
    care_services.care_link_change(actor=resident, link_id=care_link.pk, rights=["appointments"])
    assert not may_request_transfer_for(caregiver, resident)
