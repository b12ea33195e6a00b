"""Issue 15, "any resident can make any account the patient of a transfer": with
patient_kind=resident and someone else's e-mail, the reply showed that person's
name and masked identity number, and the transfer landed in their list with a
notification. A resident now requests only for themselves; centre staff for the
residents who consented to their centre; and an unknown address and someone
else's account get the same answer, so no door turns an e-mail into a person."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from portal.notifications.models import Notification
from portal.transfers.models import TransferRequest
from portal.transfers.selectors import may_request_transfer_for
from tests.factories import give_consent

API = "/api/v1/transfers/"


@pytest.fixture
def stranger(other_resident):
    profile = other_resident.profile
    profile.id_document_type, profile.id_document_number = "hkid", "C668668(9)"
    profile.save()
    return other_resident


def _payload(route, email, **extra):
    return {"route": route.pk, "patient_kind": "resident", "patient_email": email,
            "clinical_summary": "Stable after stroke.", "preferred_date": str(date.today() + timedelta(days=5)),
            "consent_to_share": True, **extra}


def test_a_resident_cannot_name_another_account_as_patient(client_for, resident, stranger, route):
    response = client_for(resident).post(API, _payload(route, stranger.email), content_type="application/json")
    assert response.status_code == 400
    body = response.content.decode()
    assert stranger.display_name not in body and "668" not in body and "LEE" not in body
    assert not TransferRequest.objects.exists()
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_an_unknown_address_gets_the_same_answer(client_for, resident, stranger, route):
    client = client_for(resident)
    someone = client.post(API, _payload(route, stranger.email), content_type="application/json")
    nobody = client.post(API, _payload(route, "nobody@example.com"), content_type="application/json")
    assert someone.status_code == nobody.status_code == 400
    assert someone.json() == nobody.json()


def test_the_request_page_refuses_the_same_way(client_for, resident, stranger, route):
    client = client_for(resident)
    data = {"route": str(route.pk), "patient_kind": "resident", "clinical_summary": "Stable after stroke.",
            "preferred_date": str(date.today() + timedelta(days=5)), "consent_to_share": "on",
            "escorts-TOTAL_FORMS": "0", "escorts-INITIAL_FORMS": "0"}
    someone = client.post(reverse("transfers:new"), {**data, "patient_email": stranger.email})
    nobody = client.post(reverse("transfers:new"), {**data, "patient_email": "nobody@example.com"})
    assert someone.status_code == nobody.status_code == 400
    assert stranger.display_name not in someone.content.decode()
    assert not TransferRequest.objects.exists()


def test_centre_staff_may_name_a_resident_who_consented(client_for, centre, consenting_staff, resident, stranger, route):
    client = client_for(consenting_staff)
    refused = client.post(API, _payload(route, stranger.email, resident=resident.pk), content_type="application/json")
    assert refused.status_code == 400
    give_consent(stranger, centre)
    allowed = client.post(API, _payload(route, stranger.email, resident=resident.pk), content_type="application/json")
    assert allowed.status_code == 201, allowed.content
    transfer = TransferRequest.objects.get()
    assert (transfer.requester, transfer.patient_user) == (resident, stranger)


def test_who_may_request_for_whom(resident, stranger, centre, consenting_staff, other_centre_staff):
    assert may_request_transfer_for(resident, resident)
    assert not may_request_transfer_for(resident, stranger)
    assert may_request_transfer_for(consenting_staff, resident)
    assert not may_request_transfer_for(other_centre_staff, resident)
