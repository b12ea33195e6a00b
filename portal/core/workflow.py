"""One way to write a state machine (transfers, insurance claims).

An app declares its states as TextChoices and one `Workflow`: the model field that
holds the state, the table of allowed moves with the role that may make each, and
its refusal messages. Its services call `Workflow.move()`, the only code that
changes such a state. A move is refused with a translated error when the table
does not allow it (`MoveRefused`), when the actor does not hold its role
(`PermissionDenied`), or when it needs a reason and has none. Otherwise, in one
transaction, the row is updated only if it is still in the state the actor saw
(so of two concurrent moves from one state exactly one wins, the other gets
`StateChanged`), and the app's `record` function writes its event row: who, from,
to, and the note. Why this and not django-fsm-2: docs/decisions/0030-state-machines.md.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _


class MoveRefused(ValidationError):
    """The move is not allowed from the current state: the message is translated."""


class StateChanged(MoveRefused):
    """Someone else moved the record after the actor read it."""


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    role: str  # the one role that may make this move
    label: str  # what the button says
    needs_reason: bool = False


class Workflow:
    def __init__(
        self,
        *,
        states: type[models.TextChoices],
        field: str,
        moves: Iterable[Move],
        refused: str,
        changed: str,
        role_refusals: Mapping[str, str],
    ) -> None:
        """`refused` is a sentence with %(current)s and %(target)s (state labels),
        `changed` one with %(current)s, `role_refusals` a sentence per role."""
        self.states = states
        self.field = field
        self.moves: dict[tuple[str, str], Move] = {(move.source, move.target): move for move in moves}
        self.refused = refused
        self.changed = changed
        self.role_refusals = role_refusals

    def moves_from(self, state: str, roles: set[str]) -> list[Move]:
        """The moves someone holding `roles` may make from `state` (what the pages offer)."""
        return [move for (source, _target), move in self.moves.items() if source == state and move.role in roles]

    def allowed(self, instance: models.Model, target: str) -> Move:
        """The move from `instance`'s state to `target`, or MoveRefused."""
        if target not in self.states.values:
            raise MoveRefused(_("Unknown state."), code="unknown_state")
        current = getattr(instance, self.field)
        move = self.moves.get((current, target))
        if move is None:
            raise MoveRefused(
                self.refused % {"current": self.states(current).label, "target": self.states(target).label},
                code="move_not_allowed",
            )
        return move

    def move(
        self,
        instance: models.Model,
        *,
        target: str,
        actor,
        roles: set[str],
        record: Callable[..., object],
        note: str = "",
        updates: dict | None = None,
    ) -> Move:
        """Move `instance` to `target` for `actor`, who holds `roles` on it; `updates`
        are other fields set in the same UPDATE. `record(instance=, move=, actor=,
        note=)` writes the event row. Call inside the service's transaction."""
        move = self.allowed(instance, target)
        if move.role not in roles:
            raise PermissionDenied(self.role_refusals[move.role])
        note = note.strip()
        if move.needs_reason and not note:
            raise MoveRefused(_("Please give a reason."), code="reason_missing")
        model = type(instance)
        now = timezone.now()
        # update() skips auto_now, so stamp those fields here.
        stamps = {f.name: now for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
        values = {self.field: move.target, **stamps, **(updates or {})}
        with transaction.atomic():
            won = model._default_manager.filter(pk=instance.pk, **{self.field: move.source}).update(**values)
            if not won:
                instance.refresh_from_db(fields=[self.field])
                raise StateChanged(
                    self.changed % {"current": self.states(getattr(instance, self.field)).label},
                    code="state_changed",
                )
            for name, value in values.items():
                setattr(instance, name, value)
            record(instance=instance, move=move, actor=actor, note=note)
        return move
