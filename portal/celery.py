"""The Celery application. Settings come from Django's settings (CELERY_*)."""

import contextlib
import os

from celery import Celery, bootsteps, signals

# Production unless told otherwise, as the WSGI application (see portal/wsgi.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RequireSecretKey(bootsteps.Step):
    """A worker without SECRET_KEY stops as it starts, as the web application does
    (its tasks sign links and tokens). A step, not a signal: Celery logs and ignores
    what a signal handler raises."""

    def __init__(self, parent, **kwargs):
        from portal.core.startup import require_secret_key

        require_secret_key()
        super().__init__(parent, **kwargs)


app.steps["worker"].add(RequireSecretKey)


# --- Database connections in the worker ---------------------------------------
# Celery's Django fix-up closes every database connection before and after every
# task (celery 5.6+, celery/celery#9824), whatever CONN_MAX_AGE says, so each task
# that touches the database opened a new PostgreSQL connection (a backend
# process forked and authenticated for every delivery). CELERY_DB_REUSE_MAX
# (settings) switches that off, and this hook takes its place with the rules
# Django applies between requests, plus the case Celery's change was about.


def _connection_is_idle(conn) -> bool:
    """True if nothing is half done on the connection. A task interrupted in the
    middle of a query (soft time limit) can leave psycopg with a query still
    running, which Django's own checks do not notice; the libpq status does."""
    if conn.in_atomic_block:
        return False
    if conn.vendor != "postgresql":
        return True
    from psycopg.pq import TransactionStatus

    return conn.connection.info.transaction_status == TransactionStatus.IDLE


@signals.task_postrun.connect
def _recycle_database_connections(sender=None, **kwargs) -> None:
    """After each task run by a worker: keep a connection that is idle and
    healthy for the next task, close any other. close_if_unusable_or_obsolete
    enforces CONN_MAX_AGE and, with CONN_HEALTH_CHECKS, makes the next task check
    the connection before its first query (so one the server dropped while idle
    is replaced instead of failing a task)."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return  # in-process: the connection belongs to the caller (a request, a test)
    from django.db import DatabaseError, connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        try:
            if _connection_is_idle(conn):
                conn.close_if_unusable_or_obsolete()
            else:
                conn.close()
        except DatabaseError:
            with contextlib.suppress(DatabaseError):
                conn.close()
