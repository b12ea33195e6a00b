"""Django's PostgreSQL backend with a health check that needs no round trip.

With CONN_HEALTH_CHECKS, Django checks a persistent connection before the first
query of each request (and each Celery task) by running `SELECT 1`: a whole round
trip to the server, which on the search page cost a fifth of the worker's time
and showed as a third of PostgreSQL's statements. libpq already knows most of what
that query finds out, and the rest is on the socket:

* psycopg marks a connection closed or broken once a call has failed on it;
* libpq's status says whether the connection is up and whether a transaction is
  left open, aborted or still running a query;
* an idle connection receives nothing unless something happened: when the server
  ends a session (a restart, `pg_terminate_backend`, an idle timeout) it sends an
  error and closes the socket, so the socket turns readable.

A connection is usable when it is up, idle (or inside a transaction that has not
failed) and its socket has nothing to read. Anything else closes it and Django
opens a new one, as after a failed `SELECT 1`. What this cannot see is a network
path that vanished without a word (no FIN, no reset); `SELECT 1` would then block
until the TCP timeout, so it would not have served either.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

USABLE_STATES = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status not in USABLE_STATES:
            return False
        try:
            readable, _writable, _failed = select.select([pgconn.socket], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
