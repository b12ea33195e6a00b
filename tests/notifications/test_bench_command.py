"""The notification benchmark's completion check (bench_notifications)."""

import pytest

from portal.notifications.management.commands.bench_notifications import _all_sent_poll
from portal.notifications.models import Delivery
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_delivery_poll_is_done_only_when_every_delivery_in_the_range_is_sent(monkeypatch):
    from portal.notifications import sending

    monkeypatch.setattr(sending, "queue", len)  # created, not delivered
    user = UserFactory(notify_by_email=True, notify_by_sms=False, notify_by_whatsapp=False)
    ids = [notify(recipient=user, event="welcome").deliveries.get().pk for _ in range(4)]
    done = _all_sent_poll(min(ids), max(ids))

    def sent(*positions):
        Delivery.objects.filter(pk__in=[ids[p] for p in positions]).update(state=Delivery.State.SENT)

    assert not done()
    sent(0, 2)  # the poll now starts from ids[1]; ids[3] is still pending behind it
    assert not done()
    sent(1)
    assert not done()
    sent(3)
    assert done()


def test_the_delivery_poll_reads_again_the_row_it_found_unsent(monkeypatch):
    from portal.notifications import sending

    monkeypatch.setattr(sending, "queue", len)
    user = UserFactory(notify_by_email=True, notify_by_sms=False, notify_by_whatsapp=False)
    ids = [notify(recipient=user, event="welcome").deliveries.get().pk for _ in range(3)]
    done = _all_sent_poll(min(ids), max(ids))
    assert not done()  # found ids[0] unsent
    Delivery.objects.filter(pk__in=ids[1:]).update(state=Delivery.State.SENT)
    assert not done()  # ids[0] still is
    Delivery.objects.filter(pk=ids[0]).update(state=Delivery.State.SENT)
    assert done()
