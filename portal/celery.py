"""The Celery application. Settings come from Django's settings (CELERY_*)."""

import contextlib
import os
import select

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="portal.ping")
def ping() -> str:
    """A no-op task: health checks and the notification benchmark's baseline."""
    return "pong"


# --- Database connections in the worker ---------------------------------------
# Celery's Django fix-up closes every database connection before and after every
# task (celery 5.6+, celery/celery#9824), whatever CONN_MAX_AGE says, so each task
# that touches the database opened a new PostgreSQL connection: a backend process
# forked, authenticated and warmed up, ~4 ms here, four times the rest of a
# notification delivery. CELERY_DB_REUSE_MAX (settings) switches that off, and
# this hook takes its place with the rules Django applies between requests,
# plus the case Celery's change was about.


def _connection_is_idle(conn) -> bool:
    """True if nothing is half done on the connection. A task interrupted in the
    middle of a query (soft time limit) can leave psycopg with a query still
    running, which Django's own checks do not notice; the libpq status does,
    without a round trip."""
    if conn.in_atomic_block:
        return False
    if conn.vendor != "postgresql":
        return True
    from psycopg.pq import TransactionStatus

    return conn.connection.info.transaction_status == TransactionStatus.IDLE


def _socket_is_quiet(conn) -> bool:
    """True if nothing has arrived on the idle connection's socket since its last
    result was read. A server that ends a connection (restart, shutdown,
    pg_terminate_backend, idle_session_timeout, a pooler's idle timeout) first
    sends an error message or closes the socket, and either makes the socket
    readable; a healthy idle connection receives nothing. (A link that died
    silently shows nothing here, but a SELECT 1 would not answer either; it
    would wait for TCP to give up.)"""
    poller = select.poll()
    poller.register(conn.connection.fileno(), select.POLLIN | select.POLLPRI)  # POLLHUP/POLLERR always
    return not poller.poll(0)


@signals.task_prerun.connect
def _check_database_connections(sender=None, **kwargs) -> None:
    """Before each task run by a worker: CONN_HEALTH_CHECKS, without its round
    trip. Django checks a reused connection with a SELECT 1 before the first
    query of each request (here: task), one more round trip for a delivery
    that needs two; under load that was a third of the worker's database round
    trips. Instead, an idle PostgreSQL connection whose socket has received
    nothing is taken as healthy (see _socket_is_quiet); anything else gets
    Django's SELECT 1 as before, and is replaced if that fails."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if (conn.vendor != "postgresql" or conn.connection is None or not conn.health_check_enabled
                or conn.health_check_done):
            continue
        with contextlib.suppress(Exception):  # any doubt: leave it to Django's check
            if not conn.errors_occurred and _connection_is_idle(conn) and _socket_is_quiet(conn):
                conn.health_check_done = True


@signals.task_postrun.connect
def _recycle_database_connections(sender=None, **kwargs) -> None:
    """After each task run by a worker: keep a connection that is idle and
    healthy for the next task, close any other. close_if_unusable_or_obsolete
    enforces CONN_MAX_AGE and, with CONN_HEALTH_CHECKS, makes the next task check
    the connection before its first query (so one the server dropped while idle
    is replaced instead of failing a task; _check_database_connections decides
    how)."""
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
