"""Celery tasks: thin wrappers around the services."""

from celery import shared_task

from . import services


@shared_task
def expire_claims() -> int:
    return services.claims_expire()
