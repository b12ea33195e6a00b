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


# --- Database connections in the worker (portal/celery.py) ---------------------
# Celery's Django fix-up would close the connection after every task; the portal
# keeps an idle, healthy one for the next task and closes any other.

def _task_finished(*, eager: bool) -> None:
    from types import SimpleNamespace

    from portal.celery import _recycle_database_connections

    _recycle_database_connections(sender=SimpleNamespace(request=SimpleNamespace(is_eager=eager)))


def test_the_worker_does_not_reconnect_for_every_task():
    from celery.fixups.django import DjangoWorkerFixup

    from portal.celery import app

    fixup = DjangoWorkerFixup(app)
    # Celery closes only every db_reuse_max tasks: in effect never; portal/celery.py decides.
    assert fixup.db_reuse_max and fixup.db_reuse_max >= 10**12


@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_is_kept_for_the_next_task():
    from django.db import connection

    connection.ensure_connection()
    before = connection.connection
    _task_finished(eager=False)
    assert connection.connection is before


# PostgreSQL: Django never closes SQLite's in-memory test database, so there the
# hook's close() leaves the same connection in place.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_left_inside_an_atomic_block_is_closed():
    from django.db import connection

    with transaction.atomic():
        connection.ensure_connection()
        before = connection.connection
        _task_finished(eager=False)
        assert connection.connection is not before or connection.closed_in_transaction


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_with_a_query_or_transaction_left_open_is_closed():
    # What a task interrupted mid-query (soft time limit) leaves behind: libpq is
    # not idle although Django's own flags look fine.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
    before = connection.connection
    _task_finished(eager=False)
    assert connection.connection is None or connection.connection is not before


# CONN_HEALTH_CHECKS between tasks: Django checks a kept connection before the
# next task's first query.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_quiet_idle_connection_is_checked_and_reused():
    from django.db import connection

    connection.ensure_connection()
    before = connection.connection
    _task_finished(eager=False)
    assert not connection.health_check_done  # the next task's first query checks the connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert connection.health_check_done
    assert connection.connection is before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_between_tasks_is_replaced():
    from django.db import connection

    connection.ensure_connection()
    before = connection.connection
    _task_finished(eager=False)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        # (with a timeout: returns once the backend has exited)
        assert other.execute("SELECT pg_terminate_backend(%s, 5000)", [before.info.backend_pid]).fetchone()[0]
    finally:
        other.close()
    with connection.cursor() as cursor:  # the health check finds it ended and reconnects
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)
    assert connection.connection is not before


@pytest.mark.django_db
def test_an_eager_task_leaves_the_callers_connection_alone():
    from django.db import connection

    connection.ensure_connection()
    before = connection.connection  # inside the test's transaction, like a request's
    _task_finished(eager=True)
    assert connection.connection is before


@pytest.mark.broker
def test_a_real_worker_keeps_one_database_connection_across_tasks(celery_worker):
    from django.db import connection

    def worker_backends() -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
            return {pid for (pid,) in cursor.fetchall()}

    def deliver_one() -> None:
        notification = notify(recipient=UserFactory(), event="welcome", context={})
        delivery = notification.deliveries.get()
        wait_for(lambda: Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENT).exists())

    # Connections opened earlier in this test process (other tests' threads) are not the worker's.
    others = worker_backends()
    deliver_one()
    (backend,) = wait_for(lambda: (pids := worker_backends() - others) and len(pids) == 1 and pids)
    deliver_one()
    deliver_one()
    assert wait_for(lambda: worker_backends() - others == {backend})
