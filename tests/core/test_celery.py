import pytest
from django.db import transaction

from portal.notifications.models import Delivery
from portal.notifications.services import notify
from tests.conftest import wait_for
from tests.factories import UserFactory


@pytest.mark.broker
def test_a_real_worker_delivers_a_task_queued_on_commit(celery_worker):
    user = UserFactory(language="zh-hant")
    with transaction.atomic():
        notification = notify(recipient=user, event="welcome", context={})
    delivery = Delivery.objects.get(notification=notification, channel="email")
    wait_for(lambda: Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENT).exists())
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_celery_configuration_is_safe_for_production():
    from portal.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
