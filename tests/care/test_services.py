"""Making, answering, changing and ending care relationships."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.care import selectors, services
from portal.care.models import CareEvent, CareLink, PaperConsent, Right
from portal.notifications.backends import LocmemMessageBackend
from portal.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% signed consent\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _token_from(text: str) -> str:
    return text.split("/care/invitation/")[1].split("/")[0]


def invite(elder, django_capture_on_commit_callbacks, **overrides):
    values = {"email": "daughter@example.com", "relationship": "daughter", "rights": ["appointments", "messages"],
              "language": "zh-hans"}
    values.update(overrides)
    with django_capture_on_commit_callbacks(execute=True):
        return services.care_link_invite(actor=elder, **values)


def test_an_invitation_by_email_carries_a_token_link_in_the_chosen_language(elder, django_capture_on_commit_callbacks):
    link = invite(elder, django_capture_on_commit_callbacks)
    assert (link.status, link.caregiver, link.rights) == ("invited", None, ["appointments", "messages"])
    message = mail.outbox[-1]
    assert message.to == ["daughter@example.com"]
    assert "陈大文" in message.subject or "CHAN Tai Man" in message.subject
    assert "邀请" in message.body and "照顾者" in message.subject  # Simplified Chinese, as chosen
    assert selectors.invitation_for(_token_from(message.body)) == link
    assert list(link.events.values_list("action", flat=True)) == ["invited"]


def test_an_invitation_by_phone_goes_by_sms(elder, django_capture_on_commit_callbacks):
    invite(elder, django_capture_on_commit_callbacks, email="", phone="+8613812345678", language="en")
    sms = LocmemMessageBackend.outbox[-1]
    assert sms["to"] == "+8613812345678" and "/care/invitation/" in sms["body"]


def test_the_answer_to_an_invitation_is_the_same_whether_the_address_has_an_account(
        elder, other_resident, django_capture_on_commit_callbacks):
    with_account = invite(elder, django_capture_on_commit_callbacks, email=other_resident.email)
    without = invite(elder, django_capture_on_commit_callbacks, email="nobody@example.com")
    assert (with_account.status, with_account.caregiver) == (without.status, without.caregiver) == ("invited", None)
    assert not Notification.objects.filter(recipient=other_resident).exists()  # no account is looked up


def test_accepting_the_invitation_makes_the_caregiver_and_tells_the_elder(elder, other_resident,
                                                                          django_capture_on_commit_callbacks):
    link = invite(elder, django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[-1].body)
    accepted = services.care_link_accept_invitation(actor=other_resident, token=token)
    assert (accepted.status, accepted.caregiver) == ("active", other_resident)
    assert selectors.caregiver_may(other_resident, elder, Right.APPOINTMENTS)
    told = Notification.objects.get(recipient=elder, event="care_link_accepted")
    assert told.language == "zh-hant" and other_resident.display_name in told.body
    assert Notification.objects.filter(recipient=other_resident).count() == 0  # a care message is never copied
    with pytest.raises(services.CareError):  # once only
        services.care_link_accept_invitation(actor=factories.UserFactory(), token=token)
    assert link.events.filter(action="accepted", actor=other_resident).exists()


def test_an_invitation_cannot_be_accepted_by_the_elder_or_with_a_bad_or_withdrawn_token(
        elder, other_resident, django_capture_on_commit_callbacks):
    link = invite(elder, django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[-1].body)
    with pytest.raises(services.CareError):
        services.care_link_accept_invitation(actor=elder, token=token)
    with pytest.raises(services.CareError):
        services.care_link_accept_invitation(actor=other_resident, token=token[:-2] + "xx")
    services.care_link_revoke(actor=elder, link_id=link.pk)
    with pytest.raises(services.CareError):
        services.care_link_accept_invitation(actor=other_resident, token=token)


def test_an_invitation_expires(elder, other_resident, django_capture_on_commit_callbacks, monkeypatch):
    invite(elder, django_capture_on_commit_callbacks)
    token = _token_from(mail.outbox[-1].body)
    later = timezone.now() + timedelta(days=selectors.INVITATION_DAYS + 1)
    monkeypatch.setattr("time.time", lambda: later.timestamp())
    with pytest.raises(services.CareError):
        services.care_link_accept_invitation(actor=other_resident, token=token)


def test_invitations_need_one_address_known_rights_and_no_past_end(elder):
    with pytest.raises(services.CareError):
        services.care_link_invite(actor=elder, relationship="son", rights=["appointments"], language="en")
    with pytest.raises(services.CareError):
        services.care_link_invite(actor=elder, email="a@example.com", relationship="son", rights=[], language="en")
    with pytest.raises(services.CareError):
        services.care_link_invite(actor=elder, email="a@example.com", relationship="son", rights=["root"],
                                  language="en")
    with pytest.raises(services.CareError):
        services.care_link_invite(actor=elder, email="a@example.com", relationship="son", rights=["appointments"],
                                  language="en", end_date=timezone.localdate() - timedelta(days=1))
    with pytest.raises(services.CareError):
        services.care_link_invite(actor=elder, email=elder.email.upper(), relationship="son",
                                  rights=["appointments"], language="en")
    assert not CareLink.objects.exists()


def test_a_request_to_an_account_asks_its_holder_and_the_answer_reveals_nothing(elder, other_resident):
    asked = services.care_link_request(actor=other_resident, email=elder.email.upper(), relationship="son")
    nobody = services.care_link_request(actor=other_resident, email="nobody@example.com", relationship="son")
    assert asked.status == nobody.status == "requested"
    assert asked.elder == elder and nobody.elder is None
    request = Notification.objects.get(recipient=elder, event="care_request_received")
    assert request.language == "zh-hant" and other_resident.display_name in request.body
    # asked again: nothing new is sent
    assert services.care_link_request(actor=other_resident, email=elder.email, relationship="son") == asked
    assert Notification.objects.filter(recipient=elder, event="care_request_received").count() == 1


def test_the_elder_accepts_a_request_with_chosen_rights(elder, other_resident):
    link = services.care_link_request(actor=other_resident, email=elder.email, relationship="son")
    with pytest.raises(PermissionDenied):  # only the elder answers
        services.care_link_answer_request(actor=other_resident, link_id=link.pk, accept=True, rights=["vouchers"])
    services.care_link_answer_request(actor=elder, link_id=link.pk, accept=True, rights=["vouchers"])
    assert selectors.caregiver_may(other_resident, elder, Right.VOUCHERS)
    assert not selectors.caregiver_may(other_resident, elder, Right.APPOINTMENTS)
    answer = Notification.objects.get(recipient=other_resident, event="care_request_answered")
    assert elder.display_name in answer.subject


def test_a_declined_request_grants_nothing(elder, other_resident):
    link = services.care_link_request(actor=other_resident, email=elder.email, relationship="son")
    services.care_link_answer_request(actor=elder, link_id=link.pk, accept=False)
    link.refresh_from_db()
    assert link.status == "declined" and not selectors.caregiver_may(other_resident, elder, Right.VOUCHERS)


def test_changing_rights_tells_the_caregiver_and_is_recorded(elder, care_link):
    services.care_link_change(actor=elder, link_id=care_link.pk, rights=["vouchers"],
                              end_date=timezone.localdate() + timedelta(days=30))
    care_link.refresh_from_db()
    assert care_link.rights == ["vouchers"] and care_link.end_date is not None
    event = care_link.events.get(action="changed")
    assert event.rights == ["vouchers"] and event.actor == elder
    told = Notification.objects.get(recipient=care_link.caregiver, event="care_link_changed")
    assert told.language == "zh-hans"


def test_only_the_elder_changes_rights(elder, care_link, other_resident):
    for actor in (care_link.caregiver, other_resident):
        with pytest.raises(PermissionDenied):
            services.care_link_change(actor=actor, link_id=care_link.pk, rights=["vouchers", "voucher_code"])


def test_either_side_may_end_it_and_the_other_is_told(elder, care_link):
    services.care_link_revoke(actor=care_link.caregiver, link_id=care_link.pk)
    care_link.refresh_from_db()
    assert care_link.status == "revoked" and care_link.ended_by == care_link.caregiver
    assert Notification.objects.filter(recipient=elder, event="care_link_ended").exists()
    assert list(care_link.events.values_list("action", flat=True)) == ["revoked"]


def test_a_stranger_cannot_end_it(care_link, other_resident):
    with pytest.raises(PermissionDenied):
        services.care_link_revoke(actor=other_resident, link_id=care_link.pk)


def test_centre_staff_record_a_relationship_on_paper_consent(elder, centre, centre_staff,
                                                             django_capture_on_commit_callbacks):
    factories.give_consent(elder, centre)
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        link = services.care_link_record(actor=centre_staff, elder=elder, email="daughter@example.com",
                                         relationship="daughter", rights=["appointments"], language="zh-hans",
                                         upload=upload)
    assert (link.status, link.centre, link.created_by) == ("invited", centre, centre_staff)
    paper = PaperConsent.objects.get(link=link)
    assert services.paper_consent_path(paper).read_bytes() == PDF
    told = Notification.objects.get(recipient=elder, event="care_link_recorded")
    assert told.language == "zh-hant" and "女兒" in told.body  # the elder's language
    assert mail.outbox[-1].to == ["daughter@example.com"]
    assert link.events.get().action == CareEvent.Action.RECORDED


def test_staff_without_the_residents_consent_cannot_record(elder, other_centre_staff):
    upload = SimpleUploadedFile("consent.pdf", PDF)
    with pytest.raises(PermissionDenied):
        services.care_link_record(actor=other_centre_staff, elder=elder, email="d@example.com",
                                  relationship="daughter", rights=["appointments"], language="en", upload=upload)
    assert not CareLink.objects.exists()


def test_a_paper_consent_must_be_a_document(elder, centre, centre_staff):
    factories.give_consent(elder, centre)
    with pytest.raises(services.CareError):
        services.care_link_record(actor=centre_staff, elder=elder, email="d@example.com", relationship="daughter",
                                  rights=["appointments"], language="en",
                                  upload=SimpleUploadedFile("consent.exe", b"MZ\x90\x00 not a document"))
    assert not CareLink.objects.exists() and not PaperConsent.objects.exists()


def test_one_relationship_per_pair(elder, care_link, django_capture_on_commit_callbacks):
    invite(elder, django_capture_on_commit_callbacks)
    with pytest.raises(services.CareError):
        services.care_link_accept_invitation(actor=care_link.caregiver, token=_token_from(mail.outbox[-1].body))
