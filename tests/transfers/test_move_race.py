"""Two parties move the same transfer from the same state at the same moment: the
sending hospital reviews it while the requester cancels it. Each read the transfer
before either wrote, so only the conditional update can stop the second: exactly
one move wins, the other is refused, and the log has one event for it."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.core.workflow import StateChanged
from portal.transfers import services
from portal.transfers.models import TransferEvent, TransferRequest
from portal.transfers.workflow import State
from tests.centres.conftest import roles  # noqa: F401 (the role groups, flushed by transactional tests)

from .conftest import submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_concurrent_moves_from_submitted_only_one_wins(resident, route, sending_admin):
    transfer = submit(resident, route)
    # Both parties loaded the transfer while it was "submitted".
    seen_by = {"review": TransferRequest.objects.get(pk=transfer.pk),
               "cancel": TransferRequest.objects.get(pk=transfer.pk)}
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name):
        try:
            barrier.wait(timeout=10)
            if name == "review":
                services.transfer_review(actor=sending_admin, transfer=seen_by[name])
            else:
                services.transfer_cancel(actor=resident, transfer=seen_by[name], note="Condition changed")
            outcomes[name] = "moved"
        except StateChanged:
            outcomes[name] = "refused"
        except ValidationError as error:  # anything else would be a wrong answer
            outcomes[name] = f"error: {error.messages}"
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(name,)) for name in seen_by]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["moved", "refused"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "moved")
    expected = State.CLINICALLY_REVIEWED if winner == "review" else State.CANCELLED
    assert TransferRequest.objects.get(pk=transfer.pk).state == expected
    moves = list(TransferEvent.objects.filter(transfer=transfer, from_state=State.SUBMITTED).values_list("to_state", flat=True))
    assert moves == [expected]
