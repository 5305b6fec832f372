"""A small in-process cache of authenticated bearer tokens, in front of the shared cache (Redis) and the database.

Each request with a bearer token would otherwise read its principal from Redis: a round trip and an unpickle, a
large part of the cost of a small read (issue #10). This process keeps the pickled ``(user, principal)`` of the
tokens it has seen lately for at most ``API_TOKEN_LOCAL_CACHE_SECONDS`` (1 second by default; 0 switches it off), and
never past the token's expiry (checked on every request by the caller).

Revocation (``api.client_services``: rotating a secret, changing or deactivating a client) deletes the tokens in the
database and their Redis entries, and calls ``forget`` here, so in the process that revoked them they stop working at
once. Another process (another gunicorn worker) may still accept a revoked token for at most
``API_TOKEN_LOCAL_CACHE_SECONDS``; after that it asks Redis and the database again.

Entries are pickled so each request gets its own copy of the user, as it would from Redis. At most ``MAX_ENTRIES``
tokens are kept (the oldest entry goes first).
"""

import pickle
import threading
import time

from django.conf import settings

MAX_ENTRIES = 1024

_entries: dict[str, tuple[float, bytes]] = {}
_lock = threading.Lock()
_clock = time.monotonic


def lifetime() -> float:
    return float(getattr(settings, "API_TOKEN_LOCAL_CACHE_SECONDS", 1))


def get(token_hash: str):
    """The ``(user, principal)`` remembered for this token digest, if remembered less than the lifetime ago."""
    entry = _entries.get(token_hash)
    if entry is None:
        return None
    if _clock() >= entry[0]:
        _entries.pop(token_hash, None)
        return None
    return pickle.loads(entry[1])  # noqa: S301 (written by this process, below)


def put(token_hash: str, found) -> None:
    seconds = lifetime()
    if seconds <= 0:
        return
    value = (_clock() + seconds, pickle.dumps(found))
    with _lock:
        _entries.pop(token_hash, None)
        while len(_entries) >= MAX_ENTRIES:
            _entries.pop(next(iter(_entries)), None)
        _entries[token_hash] = value


def forget(token_hashes) -> None:
    """Drop these token digests (revoked) from this process's cache."""
    with _lock:
        for token_hash in token_hashes:
            _entries.pop(token_hash, None)


def clear() -> None:
    with _lock:
        _entries.clear()
