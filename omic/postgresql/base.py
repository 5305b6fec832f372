"""Django's PostgreSQL backend, with a health check that costs no round trip while the connection is idle and well.

``CONN_HEALTH_CHECKS`` makes Django check a reused connection before the first query of each request. Django's check
is ``SELECT 1``: a round trip to PostgreSQL on every request, about a tenth of the server's CPU for an API read that
makes one query of its own. An idle connection has nothing to read unless the server is ending it (a restart, a
failover, ``pg_terminate_backend``: PostgreSQL sends a FATAL message, then closes the socket), so this backend looks
at the socket first, without waiting: nothing to read means usable, with no query; anything to read, and only then,
Django's own ``SELECT 1`` decides. A server that vanished without closing the socket is not caught here, and was not
caught by ``SELECT 1`` either until the network timed out.

ENGINE ``omic.postgresql`` (``omic.settings`` sets it for a ``postgres://`` DATABASE_URL).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            waiting, _, _ = select.select([connection.pgconn.socket], [], [], 0)
        except (OSError, ValueError, base.Database.OperationalError):  # the socket is gone
            return False
        return not waiting or super().is_usable()
