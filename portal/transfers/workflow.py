"""The transfer workflow: its states, the parties' roles, and the one table of
allowed moves saying which role may make each (declared with portal.core.workflow).
Services (services.py) carry out a move; nothing else changes a transfer's state."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Move, Workflow


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
class TransferMove(Move):
    needs_crossing: bool = False  # the move takes the crossing pre-registration form


_CANCELLABLE = (
    State.SUBMITTED, State.CLINICALLY_REVIEWED, State.ACCEPTED, State.CROSSING_PREREGISTERED, State.SCHEDULED,
)

WORKFLOW = Workflow(
    states=State,
    field="state",
    moves=[
        TransferMove(State.SUBMITTED, State.CLINICALLY_REVIEWED, Role.SENDING, _("Confirm clinical review")),
        TransferMove(State.SUBMITTED, State.DECLINED, Role.SENDING, _("Decline: not fit or not eligible"),
                     needs_reason=True),
        TransferMove(State.CLINICALLY_REVIEWED, State.ACCEPTED, Role.RECEIVING, _("Accept the patient")),
        TransferMove(State.CLINICALLY_REVIEWED, State.DECLINED, Role.RECEIVING, _("Decline the transfer"),
                     needs_reason=True),
        TransferMove(State.ACCEPTED, State.CROSSING_PREREGISTERED, Role.SENDING,
                     _("Pre-register the border crossing"), needs_crossing=True),
        TransferMove(State.CROSSING_PREREGISTERED, State.SCHEDULED, Role.SENDING, _("Confirm the schedule")),
        TransferMove(State.SCHEDULED, State.IN_TRANSIT, Role.SENDING, _("Ambulance has left")),
        TransferMove(State.IN_TRANSIT, State.HANDED_OVER, Role.RECEIVING, _("Patient handed over")),
        *[TransferMove(state, State.CANCELLED, Role.REQUESTER, _("Cancel the transfer"), needs_reason=True)
          for state in _CANCELLABLE],
    ],
    refused=_("A transfer that is “%(current)s” cannot become “%(target)s”."),
    changed=_("This transfer was changed by someone else in the meantime; it is now “%(current)s”."),
    role_refusals={
        Role.REQUESTER: _("Only the requester, or centre staff acting for them, may make this change."),
        Role.SENDING: _("Only the sending hospital may make this change."),
        Role.RECEIVING: _("Only the receiving hospital may make this change."),
    },
)
MOVES = WORKFLOW.moves  # (from, to) -> who may make it and how
