"""Every move notifies every party, each in their own language."""

import pytest

from portal.notifications.models import Notification
from portal.transfers import services
from portal.transfers.workflow import State
from tests.transfers.conftest import follow

from .test_workflow import crossing

SUBJECTS = {
    "en": {State.SUBMITTED: "Submitted", State.CLINICALLY_REVIEWED: "Clinically reviewed",
           State.ACCEPTED: "Accepted by the receiving hospital", State.CROSSING_PREREGISTERED: "Border crossing pre-registered",
           State.SCHEDULED: "Scheduled", State.IN_TRANSIT: "In transit", State.HANDED_OVER: "Handed over"},
    "zh-hant": {State.SUBMITTED: "已提交", State.CLINICALLY_REVIEWED: "已完成臨床評估",
                State.ACCEPTED: "接收醫院已接收", State.CROSSING_PREREGISTERED: "已預先登記過關",
                State.SCHEDULED: "已安排", State.IN_TRANSIT: "轉運中", State.HANDED_OVER: "已移交"},
    "zh-hans": {State.SUBMITTED: "已提交", State.CLINICALLY_REVIEWED: "已完成临床评估",
                State.ACCEPTED: "接收医院已接收", State.CROSSING_PREREGISTERED: "已预先登记通关",
                State.SCHEDULED: "已安排", State.IN_TRANSIT: "转运中", State.HANDED_OVER: "已移交"},
}


@pytest.fixture
def party_languages(resident, sending_admin, receiving_admin, follower):
    languages = {resident: "zh-hant", sending_admin: "zh-hans", receiving_admin: "en", follower: "zh-hans"}
    for user, language in languages.items():
        user.language = language
        user.save(update_fields=["language"])
    return languages


def test_every_move_reaches_every_party_in_their_language(party_languages, resident, route, sending_admin,
                                                         receiving_admin, follower, other_resident):
    from .conftest import submit

    transfer = submit(resident, route)
    follow(transfer, follower)
    services.transfer_review(actor=sending_admin, transfer=transfer)
    services.transfer_accept(actor=receiving_admin, transfer=transfer)
    services.transfer_preregister(actor=sending_admin, transfer=transfer, **crossing(transfer))
    services.transfer_schedule(actor=sending_admin, transfer=transfer)
    services.transfer_depart(actor=sending_admin, transfer=transfer)
    services.transfer_hand_over(actor=receiving_admin, transfer=transfer)

    for user, language in party_languages.items():
        received = {n.context["to_state"]: n for n in Notification.objects.filter(recipient=user, event="transfer_state_changed")}
        expected_states = set(SUBJECTS["en"]) - ({State.SUBMITTED} if user == follower else set())
        assert set(received) == expected_states, user
        for state in expected_states:
            notification = received[state]
            assert notification.language == language
            assert SUBJECTS[language][state] in notification.subject
            assert transfer.reference in notification.subject
            assert notification.link.startswith(f"/{language}/transfers/{transfer.pk}/")
    assert not Notification.objects.filter(recipient=other_resident).exists()


def test_decline_reason_and_patient_resident_are_notified(resident, route, other_resident, sending_admin,
                                                           consenting_staff, centre):
    from tests.factories import give_consent

    from .conftest import submit

    give_consent(other_resident, centre)  # centre staff file for one resident with another as the patient
    transfer = submit(resident, route, actor=consenting_staff, patient_kind="resident", patient_user=other_resident)
    services.transfer_decline(actor=sending_admin, transfer=transfer, note="Not stable enough to travel")
    notification = Notification.objects.get(recipient=other_resident, context__to_state="declined")
    assert "Not stable enough to travel" in notification.body
    assert "Declined" in notification.subject


def test_no_identity_number_in_notifications(resident, route, sending_admin):
    from .conftest import submit

    submit(resident, route, patient_kind="person", patient_name="CHEUNG Ah Po", patient_document="A123456(3)")
    for notification in Notification.objects.all():
        assert "123456" not in notification.body + notification.subject
