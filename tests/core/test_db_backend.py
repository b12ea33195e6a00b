"""The database connection settings on PostgreSQL: Django's own backend, kept
connections checked before reuse (CONN_HEALTH_CHECKS), so a connection the
server ended between requests is replaced instead of failing a page."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _terminate(wrapper) -> None:
    """End the wrapper's server session from another connection, as a restart or
    an administrator would (returns once the backend has exited)."""
    params = wrapper.get_connection_params()
    with psycopg.connect(dbname=params["dbname"], user=params.get("user"), host=params.get("host"),
                         port=params.get("port"), password=params.get("password"), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s, 10000)", [wrapper.connection.info.backend_pid])


def test_the_portal_uses_djangos_backend_with_kept_and_checked_connections():
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] > 0
    assert "server_side_binding" not in database.get("OPTIONS", {})


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_server_ended_the_session_is_served():
    """Between requests Django keeps the connection (CONN_MAX_AGE); the next request's
    health check must notice the server ended it and reconnect, not fail the page."""
    client = Client()
    assert client.get("/healthz").status_code == 200  # a page that asks the database
    old = connection.connection
    connection.health_check_done = False  # as request_finished leaves it (the test client skips that)
    _terminate(connection)
    assert client.get("/healthz").status_code == 200
    assert connection.connection is not old
