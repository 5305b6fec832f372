"""Reads for dashboards and reports from a PostgreSQL read replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database and install ``ReplicaRouter``. Without it
nothing here has any effect: ``use_replica()`` is a no-op block and the middleware passes every request through.

Which reads go to the replica: only those made inside a ``use_replica()`` block (the HOMD dashboard, the national
measures and their CSV), never "all reads". Inside the block a read still goes to the primary when

- this user wrote in the last ``REPLICA_PIN_SECONDS`` (default 10): any request with an unsafe method, or any write
  statement sent while a request runs, pins the browser to the primary with a short-lived signed cookie, so a user
  reads their own writes however far the replica lags; within one request any write pins the rest of it;
- a transaction was opened inside the block (a read that may be followed by a write must see the primary).

Writes always go to the primary. The request's own transaction (``ATOMIC_REQUESTS``) is around the whole view, so it
does not count as "a transaction opened inside the block". Outside a request (a Celery task, a command) writes are
not watched: a job that reads in ``use_replica()`` after writing calls ``pin_primary()`` first, or makes the read
inside a transaction opened within the block. The replica is never migrated (it is a streaming copy of the primary).
"""

import contextlib
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
PIN_COOKIE = "omic_primary_pin"
DEFAULT_PIN_SECONDS = 10
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "MERGE")


@dataclass
class _Pin:
    until: float = 0.0  # reads stay on the primary until this time (time.time())
    wrote: bool = False  # a write was made in this request or task


@dataclass(frozen=True)
class _Block:
    depth: int  # how many atomic blocks the primary's connection was in when the block began


_pin: ContextVar[_Pin | None] = ContextVar("omic_primary_pin", default=None)
_block: ContextVar[_Block | None] = ContextVar("omic_replica_block", default=None)


def _now() -> float:
    return time.time()


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", DEFAULT_PIN_SECONDS))


def replica_configured() -> bool:
    """True when the ``replica`` database exists and this router is installed (settings do both together)."""
    return REPLICA in connections.settings and any(isinstance(r, ReplicaRouter) for r in router.routers)


def _atomic_depth() -> int:
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks)


def _current_pin() -> _Pin:
    pin = _pin.get()
    if pin is None:
        pin = _Pin()
        _pin.set(pin)
    return pin


def pin_primary(*, now: float | None = None) -> None:
    """Keep this request's (or task's) reads, and the user's next ones, on the primary for the pin window."""
    pin = _current_pin()
    pin.until = max(pin.until, (_now() if now is None else now) + pin_seconds())
    pin.wrote = True


def primary_pinned(*, now: float | None = None) -> bool:
    pin = _pin.get()
    return pin is not None and (_now() if now is None else now) < pin.until


@contextlib.contextmanager
def use_replica():
    """Let the reads in this block go to the replica (when there is one and the user is not pinned)."""
    token = _block.set(_Block(depth=_atomic_depth()))
    try:
        yield
    finally:
        _block.reset(token)


def read_database() -> str:
    """The database a read made now goes to: ``replica`` or ``default``."""
    block = _block.get()
    if block is None or not replica_configured():
        return DEFAULT_DB_ALIAS
    if _atomic_depth() > block.depth or primary_pinned():
        return DEFAULT_DB_ALIAS
    return REPLICA


class ReplicaRouter:
    """Reads inside ``use_replica()`` to the replica unless pinned; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return read_database()

    def db_for_write(self, model, **hints):
        # Not a sign of a write: Django also asks this when a related object is set on an unsaved instance.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None


def _pinned_until_from(request, now: float) -> float:
    """The pin the browser carries (signed, so it cannot be made up or stretched); 0 when there is none."""
    try:
        until = float(request.get_signed_cookie(PIN_COOKIE, default="0", salt=PIN_COOKIE))
    except ValueError:
        return 0.0
    return min(until, now + pin_seconds()) if until > now else 0.0


def _is_write(sql: str) -> bool:
    statement = sql.lstrip().upper()
    return statement.startswith(WRITE_STATEMENTS) or " FOR UPDATE" in statement


def _spot_writes(execute, sql, params, many, context):
    """An execute wrapper on the primary's connection: any write statement pins the rest of the request."""
    if _is_write(sql):
        pin_primary()
    return execute(sql, params, many, context)


class ReplicaPinMiddleware:
    """Pins a browser's reads to the primary for ``REPLICA_PIN_SECONDS`` after it posted or anything was written.

    A write is any INSERT, UPDATE, DELETE or SELECT ... FOR UPDATE sent to the primary while the view runs (raw SQL
    included). It sits after SessionMiddleware, so the session save that follows every response
    (SESSION_SAVE_EVERY_REQUEST) is not counted as a write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        pin = _Pin(until=_pinned_until_from(request, _now()))
        token = _pin.set(pin)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_spot_writes):
                response = self.get_response(request)
        finally:
            _pin.reset(token)
        if request.method in UNSAFE_METHODS or pin.wrote:
            seconds = pin_seconds()
            response.set_signed_cookie(
                PIN_COOKIE,
                f"{_now() + seconds:.3f}",
                salt=PIN_COOKIE,
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
