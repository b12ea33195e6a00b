"""Celery tasks: thin wrappers around the services."""

from celery import shared_task

from portal.notifications.backends import TransientSendError

from . import services


@shared_task(autoretry_for=(TransientSendError, OSError), retry_backoff=30, max_retries=5, ignore_result=True)
def invitation_send(link_id: int) -> bool:
    return services.care_invitation_deliver(link_id=link_id)
