"""Periodic housekeeping that belongs to no single domain."""

from celery import shared_task

from . import private_files


@shared_task(name="portal.core.tasks.remove_orphan_files")
def remove_orphan_files() -> int:
    """Private uploads whose transaction rolled back (see private_files.remove_orphans)."""
    return private_files.remove_orphans()
