"""Writes to hospitals and their places. Hospitals, departments, cities, border
points and specialties are edited in the Django admin (portal/hospitals/admin.py),
loaded by the demo and scaled-data commands, and read by the public pages."""

from django.db import transaction

from portal.core.caching import bump_data_version


def search_data_changed() -> None:
    """Something the hospital or Connect list pages show has changed (a hospital, a
    department, a city, a border point, a specialty, a Connect item or its
    institutions): once the current transaction commits, pages and options cached
    from the older data are no longer served. Every path that writes them calls it."""
    transaction.on_commit(bump_data_version)
