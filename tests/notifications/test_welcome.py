"""The welcome message on e-mail confirmation (allauth's email_confirmed signal)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.test import RequestFactory

from portal.notifications.models import Notification

from .conftest import make_recipient

pytestmark = pytest.mark.django_db


def test_confirming_an_email_address_sends_one_welcome_in_the_users_language(mailoutbox,
                                                                             django_capture_on_commit_callbacks):
    user = make_recipient("zh-hans")
    address = EmailAddress.objects.get(user=user)
    request = RequestFactory().get("/")
    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=request, email_address=address)
        email_confirmed.send(sender=EmailAddress, request=request, email_address=address)  # a second address
    welcome = Notification.objects.get(recipient=user, event="welcome")
    assert welcome.language == "zh-hans"
    assert welcome.link == "/zh-hans/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == welcome.subject
