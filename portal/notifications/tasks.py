"""Celery tasks: thin wrappers around the delivery functions in sending.py."""

from celery import shared_task

from . import sending


@shared_task(name="portal.notifications.tasks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> str:
    return sending.deliver(delivery_id)


@shared_task(name="portal.notifications.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return sending.sweep_outbox()
