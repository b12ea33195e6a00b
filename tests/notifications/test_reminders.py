"""Reminders: scheduled with send_after, fired by the sweeper when due, never
fired once cancelled with cancel_pending(group_key=...)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from portal.notifications import selectors, sending
from portal.notifications.models import Delivery, Notification
from portal.notifications.services import cancel_pending, notify

from .conftest import make_recipient

pytestmark = pytest.mark.django_db


def _come_due(*notifications):
    ids = [n.pk for n in notifications]
    past = timezone.now() - timedelta(seconds=1)
    Notification.objects.filter(id__in=ids).update(send_after=past, created_at=past - timedelta(hours=1))
    Delivery.objects.filter(notification_id__in=ids).update(next_attempt_at=past)


def test_a_reminder_waits_until_due_then_the_sweeper_sends_it(recipient):
    reminder = notify(recipient=recipient, event="welcome", group_key="appointment:42",
                      send_after=timezone.now() + timedelta(hours=24))
    assert sending.sweep_outbox() == 0
    assert selectors.inbox_for(recipient).count() == 0  # Not in the inbox before it is due.
    _come_due(reminder)
    assert sending.sweep_outbox() == 3
    assert set(reminder.deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert len(mail.outbox) == 1
    assert list(selectors.inbox_for(recipient)) == [reminder]


def test_cancelled_reminders_never_fire(recipient):
    later = timezone.now() + timedelta(hours=24)
    day_before = notify(recipient=recipient, event="welcome", group_key="appointment:42", send_after=later)
    two_hours = notify(recipient=recipient, event="welcome", group_key="appointment:42",
                       send_after=later + timedelta(hours=22))
    other = notify(recipient=recipient, event="welcome", group_key="appointment:43", send_after=later)
    assert cancel_pending(group_key="appointment:42") == 2
    _come_due(day_before, two_hours, other)
    assert sending.sweep_outbox() == 3  # Only the other appointment's three channels.
    for cancelled in (day_before, two_hours):
        assert set(cancelled.deliveries.values_list("state", flat=True)) == {Delivery.State.CANCELLED}
        # Even a wake-up that was already queued sends nothing.
        assert sending.deliver(cancelled.deliveries.first().pk) == "skipped"
    assert list(selectors.inbox_for(recipient)) == [other]
    assert len(mail.outbox) == 1


def test_a_reminder_that_came_due_but_was_not_sent_yet_is_cancelled_too(recipient):
    reminder = notify(recipient=recipient, event="welcome", group_key="appointment:42",
                      send_after=timezone.now() + timedelta(hours=2))
    _come_due(reminder)  # Due, but the sweeper has not run yet.
    assert cancel_pending(group_key="appointment:42") == 1
    assert sending.sweep_outbox() == 0
    assert len(mail.outbox) == 0


def test_cancelling_keeps_messages_already_sent_and_immediate_ones(recipient, notify_committed):
    booked = notify_committed(recipient=recipient, event="welcome", group_key="appointment:42")
    assert cancel_pending(group_key="appointment:42") == 0
    booked.refresh_from_db()
    assert booked.cancelled_at is None
    assert cancel_pending(group_key="") == 0


def test_a_changed_appointment_gets_new_reminders_in_place_of_the_old(recipient):
    old = notify(recipient=recipient, event="welcome", group_key="appointment:42",
                 send_after=timezone.now() + timedelta(hours=5))
    cancel_pending(group_key="appointment:42")
    new = notify(recipient=recipient, event="welcome", group_key="appointment:42",
                 send_after=timezone.now() + timedelta(hours=30))
    _come_due(old, new)
    sending.sweep_outbox()
    assert set(new.deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(old.deliveries.values_list("state", flat=True)) == {Delivery.State.CANCELLED}


def test_a_reminder_is_rendered_when_written_in_the_recipients_language():
    resident = make_recipient("zh-hant")
    with translation.override("en"):  # the writer's language does not matter
        reminder = notify(recipient=resident, event="welcome", link="/zh-hant/",
                          send_after=timezone.now() + timedelta(hours=24))
    with translation.override("zh-hant"):
        expected = translation.gettext("Welcome to the GBA Health Portal")
    assert expected != "Welcome to the GBA Health Portal"
    reminder.refresh_from_db()
    assert reminder.subject == expected and reminder.body and reminder.body_html
    assert selectors.inbox_for(resident).count() == 0  # not shown before it is due
    _come_due(reminder)
    assert sending.sweep_outbox() == 1
    assert mail.outbox[0].subject == expected
    assert list(selectors.inbox_for(resident)) == [reminder]
