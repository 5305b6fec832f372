"""A Redis cache that fails soft: with Redis down (or not answering) the cache behaves as a miss, never raises.

The cache only ever holds what can be recomputed (dashboard figures, "already queued" flags, token lookups, locks'
fast path), so a page or an on-commit callback must not fail because Redis is gone: each call that meets a redis
``ConnectionError`` or ``TimeoutError`` logs a warning and answers as a miss would. ``get`` returns the default,
``set``/``delete``/``touch`` do nothing (False), ``add`` returns True (the caller goes on, e.g. to
``omic.queueing.enqueue``, which keeps the job as a ``PendingJob`` if the broker is down too), ``get_many`` returns
``{}`` and ``incr`` raises ValueError as for a missing key. Short socket timeouts (settings ``CACHES`` ``OPTIONS``)
keep a Redis that stops answering from hanging a request.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every call (about 0.1 ms each: it builds a table of some 500
    response callbacks); a ``redis.Redis`` is thread-safe and holds no connection itself, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _down(self, operation: str, error: Exception) -> None:
        logger.warning("Cache unreachable, %s treated as a miss (%s)", operation, error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except REDIS_DOWN as error:
            self._down("add", error)
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except REDIS_DOWN as error:
            self._down("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except REDIS_DOWN as error:
            self._down("set", error)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except REDIS_DOWN as error:
            self._down("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except REDIS_DOWN as error:
            self._down("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except REDIS_DOWN as error:
            self._down("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except REDIS_DOWN as error:
            self._down("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except REDIS_DOWN as error:
            self._down("incr", error)
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except REDIS_DOWN as error:
            self._down("set_many", error)
            return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except REDIS_DOWN as error:
            self._down("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except REDIS_DOWN as error:
            self._down("clear", error)
            return False
