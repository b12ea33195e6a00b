"""Celery tasks: thin wrappers around the services."""

from celery import shared_task

from . import services


@shared_task
def run_allotments(year: int | None = None) -> int:
    """The yearly allotment; runs several times a day and credits each eligible
    resident once per calendar year."""
    return services.allotments_run(year=year)


@shared_task
def expire_claims() -> int:
    return services.claims_expire()
