"""Periodic housekeeping that belongs to no single domain."""

from celery import shared_task

from . import private_files


@shared_task(name="portal.core.tasks.remove_orphan_files")
def remove_orphan_files() -> int:
    """Private uploads whose transaction rolled back (see private_files.remove_orphans)."""
    return private_files.remove_orphans()


@shared_task(name="portal.core.tasks.expire_idempotency_keys")
def expire_idempotency_keys() -> int:
    """Stored API answers older than their keys' lifetime (see idempotency.KEY_LIFETIME)."""
    from .idempotency import idempotency_keys_expire

    return idempotency_keys_expire()
