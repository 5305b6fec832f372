"""One run at a time for a batch job (the handover sweep, the task recompute, and any later one).

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``), released when the block ends or the connection dies.
Elsewhere (SQLite): a cache lock with a token, so a run never releases a lock another run took after it expired.
A run that finds the lock taken gets ``locked_error`` raised at once and does nothing.
"""

import contextlib
import uuid

from django.core.cache import cache
from django.db import connection


@contextlib.contextmanager
def single_run(*, advisory_key: int, cache_key: str, cache_seconds: int, locked_error: Exception):
    """Hold the job's lock for the block, or raise ``locked_error`` if another run holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key])
            if not cursor.fetchone()[0]:
                raise locked_error
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key])
        return
    token = uuid.uuid4().hex
    if not cache.add(cache_key, token, timeout=cache_seconds):
        raise locked_error
    try:
        yield
    finally:
        if cache.get(cache_key) == token:
            cache.delete(cache_key)
