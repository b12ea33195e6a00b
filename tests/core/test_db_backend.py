"""portal.core.db.postgresql: the health check reads libpq's state and the socket
instead of running SELECT 1 (see the backend's docstring)."""

import select
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def own_connection():
    """A second Django connection to the test database, outside the test's transaction."""
    wrapper = connection.copy()
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _terminate(wrapper) -> None:
    """End the wrapper's server session from another connection, as a restart or an
    administrator would, and wait (bounded) until the news has reached its socket."""
    params = wrapper.get_connection_params()
    with psycopg.connect(dbname=params["dbname"], user=params.get("user"), host=params.get("host"),
                         port=params.get("port"), password=params.get("password"), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [wrapper.connection.info.backend_pid])
    readable, _writable, _failed = select.select([wrapper.connection.pgconn.socket], [], [], 10)
    assert readable, "the server did not close the session within 10 s"


def test_the_portal_uses_its_own_backend_with_health_checks():
    assert settings.DATABASES["default"]["ENGINE"] == "portal.core.db.postgresql"
    assert connection.vendor == "postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_healthy_idle_connection_is_usable_without_a_query(own_connection):
    with mock.patch.object(psycopg.Connection, "cursor", side_effect=AssertionError("a query was run")), \
            mock.patch.object(psycopg.Connection, "execute", side_effect=AssertionError("a query was run")):
        assert own_connection.is_usable()


def test_a_connection_whose_session_the_server_ended_is_not_usable(own_connection):
    _terminate(own_connection)
    assert not own_connection.is_usable()


def test_the_health_check_replaces_a_dropped_connection(own_connection):
    own_connection.health_check_enabled, own_connection.health_check_done = True, False
    old_pid = own_connection.connection.info.backend_pid
    _terminate(own_connection)

    own_connection.close_if_health_check_failed()
    with own_connection.cursor() as cursor:  # a new session, no error
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != old_pid


def test_a_failed_transaction_or_a_closed_connection_is_not_usable(own_connection):
    raw = own_connection.connection
    raw.autocommit = False
    with pytest.raises(psycopg.errors.DivisionByZero):
        raw.execute("SELECT 1 / 0")
    assert not own_connection.is_usable()  # aborted transaction
    raw.rollback()
    assert own_connection.is_usable()
    raw.close()
    assert not own_connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_server_ended_the_session_is_served():
    """Between requests Django keeps the connection (CONN_MAX_AGE); the next request's
    health check must notice the server ended it and reconnect, not fail the page."""
    client = Client()
    assert client.get("/en/hospitals/?q=eye").status_code == 200
    connection.health_check_done = False  # as after request_finished
    _terminate(connection)
    assert client.get("/en/hospitals/?q=eye").status_code == 200
