"""The outbox in the Django admin: superusers only; searchable; failures filtered;
resend calls the service."""

import pytest
from django.urls import reverse

from portal.notifications.models import Delivery
from portal.notifications.services import deliveries_resend, notify

from .conftest import make_recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_delivery(db):
    recipient = make_recipient("zh-hant")
    notification = notify(recipient=recipient, event="welcome")
    delivery = notification.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=5,
                                                   last_error="TransientSendError: provider timeout")
    return Delivery.objects.get(pk=delivery.pk)


@pytest.mark.parametrize("who", ["hospital_admin", "centre_staff", "resident"])
def test_only_superusers_see_notifications_in_the_admin(client_for, request, who, failed_delivery):
    client = client_for(request.getfixturevalue(who))
    for name in ("notifications_notification_changelist", "notifications_delivery_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code in (302, 403, 404)
    index = client.get(reverse("admin:index"))
    assert b"notifications/delivery" not in index.content


def test_failures_are_listed_and_searchable_by_recipient_event_channel_and_state(client_for, superuser,
                                                                                 failed_delivery):
    client = client_for(superuser)
    url = reverse("admin:notifications_delivery_changelist")
    email = failed_delivery.notification.recipient.email
    for query in ("?state__exact=failed", f"?q={email}", "?q=welcome", "?q=email", "?q=failed"):
        page = client.get(url + query)
        assert page.status_code == 200, query
        assert "provider timeout" in page.content.decode(), query
    assert "provider timeout" not in client.get(url + "?state__exact=sent").content.decode()
    assert "provider timeout" not in client.get(url + "?q=nobody@example.com").content.decode()
    notifications = client.get(reverse("admin:notifications_notification_changelist") + f"?q={email}")
    assert email in notifications.content.decode()
    change = client.get(reverse("admin:notifications_notification_change", args=[failed_delivery.notification_id]))
    assert change.status_code == 200
    assert "provider timeout" in change.content.decode()


def test_the_resend_action_resets_failed_deliveries_and_sends_them(client_for, superuser, failed_delivery,
                                                                   django_capture_on_commit_callbacks, mailoutbox):
    client = client_for(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("admin:notifications_delivery_changelist"),
                           {"action": "resend", "_selected_action": [failed_delivery.pk]}, follow=True)
    assert "1 delivery was queued again." in page.content.decode()
    failed_delivery.refresh_from_db()
    assert (failed_delivery.state, failed_delivery.attempts, failed_delivery.last_error) == ("sent", 1, "")
    assert len(mailoutbox) == 1


def test_resend_leaves_a_delivery_being_sent_alone(superuser, failed_delivery):
    Delivery.objects.filter(pk=failed_delivery.pk).update(state=Delivery.State.SENDING)
    assert deliveries_resend(actor=superuser, delivery_ids=[failed_delivery.pk]) == 0
    failed_delivery.refresh_from_db()
    assert failed_delivery.state == Delivery.State.SENDING
