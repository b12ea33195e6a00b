"""The API: create (with Idempotency-Key), retrieve, moves, with the same rules as the pages."""

from datetime import date, timedelta

import pytest

from portal.core.models import IdempotencyKey
from portal.transfers.models import TransferEvent, TransferRequest


def payload(route, **overrides):
    data = {"route": route.pk, "patient_kind": "self", "clinical_summary": "Stable after stroke.",
            "preferred_date": str(date.today() + timedelta(days=5)), "consent_to_share": True,
            "escorts": [{"kind": "medical", "name": "Dr LAU", "relationship": "doctor"}]}
    data.update(overrides)
    return data


def test_create_and_retrieve(client_for, resident, route):
    response = client_for(resident).post("/api/v1/transfers/", payload(route), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["fee_quoted_rmb"] == 4990
    assert body["details"]["escorts"] == [{"kind": "medical", "name": "Dr LAU", "relationship": "doctor"}]
    assert TransferRequest.objects.get().requester == resident


def test_create_refuses_without_consent(client_for, resident, route):
    response = client_for(resident).post("/api/v1/transfers/", payload(route, consent_to_share=False),
                                         content_type="application/json")
    assert response.status_code == 400
    assert "consent" in str(response.json())
    assert not TransferRequest.objects.exists()


def test_idempotency_key_returns_the_stored_answer(client_for, resident, other_resident, route):
    client = client_for(resident)
    first = client.post("/api/v1/transfers/", payload(route), content_type="application/json",
                        headers={"Idempotency-Key": "abc-123"})
    again = client.post("/api/v1/transfers/", payload(route), content_type="application/json",
                        headers={"Idempotency-Key": "abc-123"})
    assert first.status_code == again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert again["Idempotent-Replayed"] == "true"
    assert TransferRequest.objects.count() == 1
    # Keys are per user: the same key from someone else is a new request.
    other = client_for(other_resident).post("/api/v1/transfers/", payload(route), content_type="application/json",
                                            headers={"Idempotency-Key": "abc-123"})
    assert other.json()["reference"] != first.json()["reference"]
    assert IdempotencyKey.objects.count() == 2


def test_centre_staff_files_for_consenting_resident_only(client_for, consenting_staff, other_centre_staff, resident, route):
    ok = client_for(consenting_staff).post("/api/v1/transfers/", payload(route, resident=resident.pk),
                                           content_type="application/json")
    assert ok.status_code == 201
    assert TransferRequest.objects.get().filed_by == consenting_staff
    refused = client_for(other_centre_staff).post("/api/v1/transfers/", payload(route, resident=resident.pk),
                                                  content_type="application/json")
    assert refused.status_code == 404
    assert TransferRequest.objects.count() == 1


def test_moves_endpoint(client_for, transfer, sending_admin, receiving_admin, resident):
    url = f"/api/v1/transfers/{transfer.pk}/moves/"
    wrong = client_for(receiving_admin).post(url, {"to": "clinically_reviewed"}, content_type="application/json")
    assert wrong.status_code == 403
    assert "Only the sending hospital may make this change." in str(wrong.json())
    ok = client_for(sending_admin).post(url, {"to": "clinically_reviewed"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "clinically_reviewed"
    invalid = client_for(sending_admin).post(url, {"to": "handed_over"}, content_type="application/json")
    assert invalid.status_code == 400
    assert "cannot become" in str(invalid.json())
    accept = client_for(receiving_admin).post(url, {"to": "accepted"}, content_type="application/json")
    assert accept.status_code == 200
    prereg = client_for(sending_admin).post(url, {
        "to": "crossing_preregistered", "vehicle_plate_hk_macao": "AM1234", "vehicle_plate_mainland": "粤B·A1234港",
        "crew": "Dr LAU", "documents_checked": True, "crossing_border_point": "shenzhen-bay",
        "crossing_at": f"{date.today() + timedelta(days=2)}T10:00:00+08:00"}, content_type="application/json")
    assert prereg.status_code == 200, prereg.content
    assert prereg.json()["state"] == "crossing_preregistered"
    cancel = client_for(resident).post(url, {"to": "cancelled", "note": "Family decision"}, content_type="application/json")
    assert cancel.status_code == 200 and cancel.json()["state"] == "cancelled"
    assert [e["to_state"] for e in cancel.json()["events"]][-1] == "cancelled"


def test_anonymous_refused(client, transfer):
    assert client.get("/api/v1/transfers/").status_code == 403
    assert client.get(f"/api/v1/transfers/{transfer.pk}/").status_code == 403


@pytest.fixture
def role_groups(transactional_db):
    """A flush by an earlier transactional test removes the groups the data migrations made."""
    from django.contrib.auth.models import Group

    from portal.accounts.roles import CENTRE_STAFF, HOSPITAL_ADMINS

    for name in (HOSPITAL_ADMINS, CENTRE_STAFF):
        Group.objects.get_or_create(name=name)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_moves_leave_one_event(role_groups, resident, route, sending_admin):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from portal.transfers import services

    from .conftest import submit

    transfer = submit(resident, route)
    barrier = Barrier(4)

    def attempt(_):
        try:
            copy = TransferRequest.objects.get(pk=transfer.pk)
            barrier.wait()
            services.transfer_review(actor=sending_admin, transfer=copy)
            return "ok"
        except Exception as error:  # noqa: BLE001
            return type(error).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(attempt, range(4)))
    assert results.count("ok") == 1, results
    assert TransferEvent.objects.filter(transfer=transfer, to_state="clinically_reviewed").count() == 1
    assert TransferRequest.objects.get(pk=transfer.pk).state == "clinically_reviewed"
