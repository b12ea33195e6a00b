"""The Family and caregivers pages, and centre staff recording on paper consent."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.care.models import CareLink
from portal.centres.models import AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% signed consent 5150\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _invitation_path(message) -> str:
    start = message.body.index("/care/invitation/")
    end = message.body.index("/", start + len("/care/invitation/")) + 1
    return "/en" + message.body[start:end]


def test_invite_page_sends_and_lists_the_invitation(client_for, elder, django_capture_on_commit_callbacks):
    client = client_for(elder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("care:invite"), {
            "email": "daughter@example.com", "relationship": "daughter", "rights": ["appointments", "messages"],
            "language": "en"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["daughter@example.com"]
    page = client.get(reverse("care:index")).content.decode()
    assert "daughter@example.com" in page and "Withdraw the invitation" in page


def test_the_invite_page_needs_one_address(client_for, elder):
    response = client_for(elder).post(reverse("care:invite"), {"relationship": "son", "rights": ["appointments"],
                                                               "language": "en"})
    assert response.status_code == 400 and "Give either an e-mail address or a phone number." in response.content.decode()
    assert not CareLink.objects.exists()


def test_an_invitation_opened_signed_out_asks_to_sign_in_then_is_accepted(client, client_for, elder, other_resident,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(elder).post(reverse("care:invite"), {
            "email": other_resident.email, "relationship": "son", "rights": ["appointments"], "language": "en"})
    path = _invitation_path(mail.outbox[-1])
    signed_out = client.get(path).content.decode()
    assert reverse("account_login") in signed_out and reverse("account_signup") in signed_out
    signed_in = client_for(other_resident)
    page = signed_in.get(path).content.decode()
    assert elder.display_name in page and "A123456(3)" not in page
    response = signed_in.post(path, {"answer": "accept"})
    assert response["Location"] == reverse("care:hub", args=[elder.pk])
    assert CareLink.objects.get().caregiver == other_resident
    assert signed_in.post(path, {"answer": "accept"}).status_code == 400  # used
    assert client.get("/en/care/invitation/not-a-token/").status_code == 404


def test_the_elder_answers_a_request_choosing_rights(client_for, elder, other_resident):
    client_for(other_resident).post(reverse("care:ask"), {"email": elder.email, "relationship": "son"})
    link = CareLink.objects.get()
    page = client_for(elder).get(reverse("care:answer", args=[link.pk])).content.decode()
    assert other_resident.email in page
    assert client_for(other_resident).get(reverse("care:answer", args=[link.pk])).status_code == 404
    client_for(elder).post(reverse("care:answer", args=[link.pk]), {"answer": "accept", "rights": ["vouchers"]})
    link.refresh_from_db()
    assert link.status == "active" and link.rights == ["vouchers"]


def test_change_and_end_from_the_page(client_for, elder, care_link):
    client = client_for(elder)
    assert client.post(reverse("care:change", args=[care_link.pk]), {"rights": ["messages"]}).status_code == 302
    care_link.refresh_from_db()
    assert care_link.rights == ["messages"]
    assert client.post(reverse("care:revoke", args=[care_link.pk])).status_code == 302
    care_link.refresh_from_db()
    assert care_link.status == "revoked"
    refused = client_for(care_link.caregiver).get(reverse("care:hub", args=[elder.pk]))
    assert refused.status_code == 403 and "You no longer act for" in refused.content.decode()


def test_the_dashboard_lists_me_and_each_person_cared_for(client_for, elder, care_link):
    page = client_for(care_link.caregiver).get(reverse("core:dashboard")).content.decode()
    assert reverse("care:hub", args=[elder.pk]) in page and "Acting as" in page


def test_centre_staff_record_on_paper_consent_and_only_they_and_the_elder_open_it(
        client_for, elder, centre, centre_staff, other_centre_staff, care_link, django_capture_on_commit_callbacks):
    factories.give_consent(elder, centre)
    staff = client_for(centre_staff)
    url = reverse("care:record", args=[elder.pk])
    assert staff.get(url).status_code == 302  # the reason first
    staff.post(reverse("centres:case_open", args=[elder.pk]), {"reason": "enquiry"})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {
            "email": "son@example.com", "relationship": "son", "rights": ["appointments"], "language": "en",
            "consent_form": SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    link = CareLink.objects.get(centre=centre)
    document = reverse("care:paper_consent", args=[link.pk])
    assert b"signed consent 5150" in b"".join(client_for(elder).get(document).streaming_content)
    assert b"signed consent 5150" in b"".join(staff.get(document).streaming_content)
    assert AccessLogEntry.objects.filter(actor=centre_staff, what="care_consent").exists()
    for outsider in (other_centre_staff, care_link.caregiver):
        assert client_for(outsider).get(document).status_code == 404
    assert client_for(other_centre_staff).get(url).status_code == 404
