"""The workflow: a full walk with the right roles, and every role refused every
move that is not theirs (table-driven over states x roles)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.transfers import services
from portal.transfers.models import TransferEvent, TransferRequest
from portal.transfers.workflow import MOVES, Role, State
from tests.transfers.conftest import follow

from .conftest import submit

CROSSING = {
    "vehicle_plate_hk_macao": "AM1234", "vehicle_plate_mainland": "粤B·A1234港",
    "crew": "Dr LAU, nurse NG, driver", "documents_checked": True,
}


def crossing(transfer):
    return {**CROSSING, "crossing_border_point": transfer.border_point, "crossing_at": timezone.now() + timedelta(days=1)}


def test_walk_through_every_state(transfer, sending_admin, receiving_admin):
    services.transfer_review(actor=sending_admin, transfer=transfer)
    services.transfer_accept(actor=receiving_admin, transfer=transfer, note="Bed ready in ward B5")
    services.transfer_preregister(actor=sending_admin, transfer=transfer, **crossing(transfer))
    services.transfer_schedule(actor=sending_admin, transfer=transfer)
    services.transfer_depart(actor=sending_admin, transfer=transfer)
    services.transfer_hand_over(actor=receiving_admin, transfer=transfer)

    transfer.refresh_from_db()
    assert transfer.state == State.HANDED_OVER
    assert transfer.vehicle_plate_hk_macao == "AM1234" and transfer.documents_checked
    events = list(TransferEvent.objects.filter(transfer=transfer).values_list("from_state", "to_state", "role"))
    assert events == [
        ("", "submitted", "requester"),
        ("submitted", "clinically_reviewed", "sending"),
        ("clinically_reviewed", "accepted", "receiving"),
        ("accepted", "crossing_preregistered", "sending"),
        ("crossing_preregistered", "scheduled", "sending"),
        ("scheduled", "in_transit", "sending"),
        ("in_transit", "handed_over", "receiving"),
    ]
    assert TransferEvent.objects.get(transfer=transfer, to_state="accepted").note == "Bed ready in ward B5"


def test_declined_by_receiving_hospital_with_reason(transfer, sending_admin, receiving_admin):
    services.transfer_review(actor=sending_admin, transfer=transfer)
    with pytest.raises(ValidationError, match="reason"):
        services.transfer_decline(actor=receiving_admin, transfer=transfer, note="  ")
    services.transfer_decline(actor=receiving_admin, transfer=transfer, note="No bed in ICU")
    assert TransferRequest.objects.get(pk=transfer.pk).state == State.DECLINED


def test_requester_and_consenting_staff_may_cancel_until_in_transit(resident, route, consenting_staff, sending_admin):
    first = submit(resident, route)
    services.transfer_cancel(actor=resident, transfer=first, note="Condition changed")
    second = submit(resident, route, actor=consenting_staff)
    services.transfer_cancel(actor=consenting_staff, transfer=second, note="Family asked")
    assert {first.state, second.state} == {State.CANCELLED}
    assert TransferEvent.objects.get(transfer=second, to_state="cancelled").actor == consenting_staff

    third = submit(resident, route)
    TransferRequest.objects.filter(pk=third.pk).update(state=State.IN_TRANSIT)
    third.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.transfer_cancel(actor=resident, transfer=third, note="too late")
    assert "“In transit” cannot become “Cancelled”" in error.value.messages[0]


def test_invalid_moves_refused_with_clear_message(transfer, receiving_admin):
    with pytest.raises(ValidationError) as error:
        services.transfer_move(actor=receiving_admin, transfer=transfer, target="handed_over")
    assert error.value.messages == ["A transfer that is “Submitted” cannot become “Handed over”."]
    with pytest.raises(ValidationError, match="Unknown state"):
        services.transfer_move(actor=receiving_admin, transfer=transfer, target="teleported")


def test_refusal_message_is_translated(transfer, receiving_admin):
    from django.utils import translation

    with translation.override("zh-hant"), pytest.raises(ValidationError) as error:
        services.transfer_move(actor=receiving_admin, transfer=transfer, target="handed_over")
    assert "已移交" in error.value.messages[0]


# --- States x roles -----------------------------------------------------------

ACTORS = ["requester", "centre_staff", "sending", "receiving", "follower", "stranger", "other_hospital_admin",
          "other_centre_staff"]
ROLE_OF_ACTOR = {"requester": Role.REQUESTER, "centre_staff": Role.REQUESTER, "sending": Role.SENDING,
                 "receiving": Role.RECEIVING}


@pytest.fixture
def actors(resident, consenting_staff, sending_admin, receiving_admin, follower, other_resident,
           third_hospital_admin, other_centre_staff):
    return {"requester": resident, "centre_staff": consenting_staff, "sending": sending_admin,
            "receiving": receiving_admin, "follower": follower, "stranger": other_resident,
            "other_hospital_admin": third_hospital_admin, "other_centre_staff": other_centre_staff}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_each_role_is_refused_every_move_not_theirs(state, actor_name, actors, resident, route):
    transfer = submit(resident, route)
    follow(transfer, actors["follower"])
    TransferRequest.objects.filter(pk=transfer.pk).update(state=state)
    transfer.refresh_from_db()
    actor = actors[actor_name]
    for target in State:
        move = MOVES.get((state, target))
        allowed = move is not None and ROLE_OF_ACTOR.get(actor_name) == move.role
        details = crossing(transfer) if target == State.CROSSING_PREREGISTERED else {}
        note = "reason"
        if allowed:
            continue
        events_before = TransferEvent.objects.filter(transfer=transfer).count()
        with pytest.raises((PermissionDenied, ValidationError)):
            services.transfer_move(actor=actor, transfer=transfer, target=target, note=note, **details)
        transfer.refresh_from_db()
        assert transfer.state == state
        assert TransferEvent.objects.filter(transfer=transfer).count() == events_before


@pytest.mark.parametrize(("source", "target"), list(MOVES))
def test_each_move_succeeds_for_its_role(source, target, actors, resident, route):
    transfer = submit(resident, route)
    TransferRequest.objects.filter(pk=transfer.pk).update(state=source)
    transfer.refresh_from_db()
    move = MOVES[(source, target)]
    actor = {Role.REQUESTER: actors["requester"], Role.SENDING: actors["sending"],
             Role.RECEIVING: actors["receiving"]}[move.role]
    details = crossing(transfer) if move.needs_crossing else {}
    services.transfer_move(actor=actor, transfer=transfer, target=target, note="reason", **details)
    assert TransferRequest.objects.get(pk=transfer.pk).state == target
    assert TransferEvent.objects.filter(transfer=transfer, to_state=target, role=move.role).count() == 1


def test_preregistration_requires_plates_crew_and_documents(transfer, sending_admin, receiving_admin):
    services.transfer_review(actor=sending_admin, transfer=transfer)
    services.transfer_accept(actor=receiving_admin, transfer=transfer)
    with pytest.raises(ValidationError, match="both plates"):
        services.transfer_preregister(actor=sending_admin, transfer=transfer,
                                      **{**crossing(transfer), "vehicle_plate_mainland": ""})
    with pytest.raises(ValidationError, match="travel documents"):
        services.transfer_preregister(actor=sending_admin, transfer=transfer,
                                      **{**crossing(transfer), "documents_checked": False})
    assert TransferRequest.objects.get(pk=transfer.pk).state == State.ACCEPTED


def test_stale_move_is_refused_and_logged_once(transfer, sending_admin):
    stale = TransferRequest.objects.get(pk=transfer.pk)
    services.transfer_review(actor=sending_admin, transfer=transfer)
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.transfer_review(actor=sending_admin, transfer=stale)
    assert TransferEvent.objects.filter(transfer=transfer, to_state="clinically_reviewed").count() == 1


def test_events_are_append_only(transfer):
    event = TransferEvent.objects.get(transfer=transfer)
    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_consent_required(resident, route):
    with pytest.raises(ValidationError, match="consent"):
        submit(resident, route, consent_to_share=False)
    assert not TransferRequest.objects.exists()


def test_staff_without_consent_cannot_file(resident, route, centre_staff):
    with pytest.raises(PermissionDenied):
        submit(resident, route, actor=centre_staff)


def test_a_move_stamps_the_last_change(transfer, sending_admin):
    before = TransferRequest.objects.get(pk=transfer.pk).updated_at
    services.transfer_review(actor=sending_admin, transfer=transfer)
    assert TransferRequest.objects.get(pk=transfer.pk).updated_at > before
