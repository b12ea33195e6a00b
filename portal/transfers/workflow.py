"""The transfer workflow: its states, the parties' roles, and the one table of
allowed moves saying which role may make each. Services (services.py) carry out a
move; nothing else changes a transfer's state."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CLINICALLY_REVIEWED = "clinically_reviewed", _("Clinically reviewed")
    ACCEPTED = "accepted", _("Accepted by the receiving hospital")
    DECLINED = "declined", _("Declined")
    CROSSING_PREREGISTERED = "crossing_preregistered", _("Border crossing pre-registered")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_TRANSIT = "in_transit", _("In transit")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled")


class Role(models.TextChoices):
    # The resident who asked (or whose transfer it is), the patient if a resident,
    # and centre staff acting for them with live consent.
    REQUESTER = "requester", _("Requester")
    SENDING = "sending", _("Sending hospital")
    RECEIVING = "receiving", _("Receiving hospital")


FINAL_STATES = frozenset({State.DECLINED, State.HANDED_OVER, State.CANCELLED})


@dataclass(frozen=True)
class Move:
    source: State
    target: State
    role: Role
    service: str  # name of the function in services.py that makes this move
    label: str
    needs_reason: bool = False
    needs_crossing: bool = False


_CANCELLABLE = (
    State.SUBMITTED, State.CLINICALLY_REVIEWED, State.ACCEPTED, State.CROSSING_PREREGISTERED, State.SCHEDULED,
)

# (from, to) -> who may make it and how.
MOVES: dict[tuple[State, State], Move] = {
    (move.source, move.target): move
    for move in [
        Move(State.SUBMITTED, State.CLINICALLY_REVIEWED, Role.SENDING, "transfer_review",
             _("Confirm clinical review")),
        Move(State.SUBMITTED, State.DECLINED, Role.SENDING, "transfer_decline",
             _("Decline: not fit or not eligible"), needs_reason=True),
        Move(State.CLINICALLY_REVIEWED, State.ACCEPTED, Role.RECEIVING, "transfer_accept", _("Accept the patient")),
        Move(State.CLINICALLY_REVIEWED, State.DECLINED, Role.RECEIVING, "transfer_decline",
             _("Decline the transfer"), needs_reason=True),
        Move(State.ACCEPTED, State.CROSSING_PREREGISTERED, Role.SENDING, "transfer_preregister",
             _("Pre-register the border crossing"), needs_crossing=True),
        Move(State.CROSSING_PREREGISTERED, State.SCHEDULED, Role.SENDING, "transfer_schedule",
             _("Confirm the schedule")),
        Move(State.SCHEDULED, State.IN_TRANSIT, Role.SENDING, "transfer_depart", _("Ambulance has left")),
        Move(State.IN_TRANSIT, State.HANDED_OVER, Role.RECEIVING, "transfer_hand_over",
             _("Patient handed over")),
        *[Move(state, State.CANCELLED, Role.REQUESTER, "transfer_cancel", _("Cancel the transfer"),
               needs_reason=True) for state in _CANCELLABLE],
    ]
}


def moves_from(state: str, roles: set[str]) -> list[Move]:
    """The moves a user holding `roles` may make from `state`."""
    return [move for (source, _target), move in MOVES.items() if source == state and move.role in roles]
