"""/api/v1/care-links/: list, invite, accept, change, end; nothing tells whether an
address has an account."""

import pytest
from django.core import mail

from portal.care.models import CareLink
from tests import factories

pytestmark = pytest.mark.django_db


def _token(message) -> str:
    return message.body.split("/care/invitation/")[1].split("/")[0]


def test_invite_accept_change_and_end(client_for, elder, other_resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = client_for(elder).post("/api/v1/care-links/", {
            "email": "new-daughter@example.com", "relationship": "daughter", "rights": ["appointments", "messages"],
            "language": "zh-hans"}, content_type="application/json")
    assert invited.status_code == 201, invited.content
    body = invited.json()
    assert (body["role"], body["status"], body["caregiver"], body["invited_address"]) == (
        "elder", "invited", None, "new-daughter@example.com")
    accepted = client_for(other_resident).post("/api/v1/care-links/accept/", {"token": _token(mail.outbox[-1])},
                                               content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["elder"] == {"id": elder.pk, "name": elder.display_name}
    assert accepted.json()["invited_address"] is None  # typed by the elder, not shown to the caregiver
    link_id = body["id"]
    changed = client_for(elder).patch(f"/api/v1/care-links/{link_id}/", {"rights": ["vouchers"]},
                                      content_type="application/json")
    assert changed.status_code == 200 and changed.json()["rights"] == ["vouchers"]
    # The caregiver cannot change their own rights.
    assert client_for(other_resident).patch(f"/api/v1/care-links/{link_id}/", {"rights": ["voucher_code"]},
                                            content_type="application/json").status_code == 404
    listed = client_for(other_resident).get("/api/v1/care-links/").json()
    assert [(row["id"], row["role"]) for row in listed] == [(link_id, "caregiver")]
    ended = client_for(elder).post(f"/api/v1/care-links/{link_id}/revoke/", content_type="application/json")
    assert ended.status_code == 200 and ended.json()["status"] == "revoked"


def test_invitations_and_requests_answer_the_same_for_any_address(client_for, elder, other_resident):
    answers = []
    for email in (other_resident.email, "nobody@example.com"):
        response = client_for(elder).post("/api/v1/care-links/", {
            "email": email, "relationship": "son", "rights": ["appointments"]}, content_type="application/json")
        answers.append({key: value for key, value in response.json().items()
                        if key not in ("id", "created_at", "invited_address")})
    assert answers[0] == answers[1]
    asker = factories.UserFactory(email="asker@example.com")
    requests = [client_for(asker).post("/api/v1/care-links/requests/", {"email": email, "relationship": "son"},
                                       content_type="application/json") for email in (elder.email, "x@example.com")]
    assert [r.status_code for r in requests] == [202, 202] and requests[0].json() == requests[1].json()
    listed = client_for(asker).get("/api/v1/care-links/").json()
    assert all(row["elder"] is None for row in listed)  # no name for an address until it is accepted


def test_a_withdrawn_request_still_names_nobody(client_for, elder):
    asker = factories.UserFactory(email="asker@example.com")
    client_for(asker).post("/api/v1/care-links/requests/", {"email": elder.email, "relationship": "son"},
                           content_type="application/json")
    link = CareLink.objects.get()
    assert client_for(asker).post(f"/api/v1/care-links/{link.pk}/revoke/").status_code == 200
    assert client_for(asker).get(f"/api/v1/care-links/{link.pk}/").json()["elder"] is None


def test_strangers_get_404(client_for, care_link, other_resident):
    client = client_for(other_resident)
    assert client.get(f"/api/v1/care-links/{care_link.pk}/").status_code == 404
    assert client.post(f"/api/v1/care-links/{care_link.pk}/revoke/").status_code == 404
    care_link.refresh_from_db()
    assert care_link.status == "active"
