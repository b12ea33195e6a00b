"""The inbox page and a message's page: scoped to the recipient, paged, unread
shown in text, marked read when opened, all marked read at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.notifications.models import Notification
from portal.notifications.services import notify

pytestmark = pytest.mark.django_db


def _messages(user, count: int) -> list[Notification]:
    return [notify(recipient=user, event="welcome") for _ in range(count)]


def test_the_inbox_lists_the_users_messages_with_unread_marked_in_text(resident, other_resident, client_for):
    mine = notify(recipient=resident, event="welcome")
    theirs = notify(recipient=other_resident, event="welcome")
    notify(recipient=resident, event="welcome", send_after=timezone.now() + timedelta(days=1))  # not due
    page = client_for(resident).get(reverse("notifications:inbox"))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("notifications:detail", args=[mine.pk]) in html
    assert reverse("notifications:detail", args=[theirs.pk]) not in html
    assert html.count('class="inbox-item is-unread"') == 1
    assert ">Unread<" in html
    assert "You have 1 unread message." in html


def test_the_inbox_needs_a_signed_in_user(client):
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


def test_the_inbox_is_paged_newest_first(resident, client_for):
    messages = _messages(resident, 23)
    client = client_for(resident)
    first = client.get(reverse("notifications:inbox")).content.decode()
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()
    assert first.count('class="inbox-item') == 20
    assert second.count('class="inbox-item') == 3
    assert reverse("notifications:detail", args=[messages[-1].pk]) in first
    assert reverse("notifications:detail", args=[messages[0].pk]) in second
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert "Page 2 of 2" in second and 'rel="prev"' in second


@pytest.mark.parametrize("count", [1, 30])
def test_the_inbox_page_has_a_fixed_number_of_queries(resident, client_for, django_assert_max_num_queries, count):
    _messages(resident, count)
    client = client_for(resident)
    client.get(reverse("notifications:inbox"))  # warm the session
    # session, user, MFA check, unread count (header), page count, the page of messages
    with django_assert_max_num_queries(7):
        assert client.get(reverse("notifications:inbox")).status_code == 200


def test_opening_a_message_marks_it_read(resident, client_for):
    message, other = _messages(resident, 2)
    client = client_for(resident)
    page = client.get(reverse("notifications:detail", args=[message.pk]))
    assert page.status_code == 200
    assert message.subject in page.content.decode()
    message.refresh_from_db()
    other.refresh_from_db()
    assert message.read_at is not None and other.read_at is None
    read_at = message.read_at
    client.get(reverse("notifications:detail", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == read_at  # Opening again changes nothing.


@pytest.mark.parametrize("who", ["other_resident", "hospital_admin", "centre_staff", "superuser"])
def test_anyone_elses_message_is_404_and_stays_unread(resident, client_for, request, who):
    message = notify(recipient=resident, event="welcome")
    stranger = request.getfixturevalue(who)
    page = client_for(stranger).get(reverse("notifications:detail", args=[message.pk]))
    assert page.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_a_message_not_yet_due_or_cancelled_is_404(resident, client_for):
    future = notify(recipient=resident, event="welcome", send_after=timezone.now() + timedelta(hours=1))
    client = client_for(resident)
    assert client.get(reverse("notifications:detail", args=[future.pk])).status_code == 404


def test_mark_all_read_marks_only_the_users_own_messages(resident, other_resident, client_for):
    _messages(resident, 3)
    theirs = notify(recipient=other_resident, event="welcome")
    client = client_for(resident)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    page = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert page.status_code == 200
    assert "All messages are marked as read." in page.content.decode()
    assert not Notification.objects.filter(recipient=resident, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_shows_the_unread_count(resident, client_for):
    _messages(resident, 2)
    html = client_for(resident).get(reverse("notifications:inbox")).content.decode()
    assert 'aria-label="2 unread messages">2</span>' in html
