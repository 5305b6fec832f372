"""The per-client rate limit: a fixed one-minute window counted in the cache (Redis in production).

A machine client gets its own ``rate_limit_per_minute``; a member of staff using the browser gets
``API_STAFF_RATE_PER_MINUTE``. The token endpoint, which has no caller yet, is limited per address by
``TokenEndpointThrottle`` (X-Forwarded-For counts only behind ``REST_FRAMEWORK["NUM_PROXIES"]`` proxies), and the
failed secrets of each client id by ``token_failures_*`` (whatever address they come from).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from api.permissions import principal_for
from omic.cache import REDIS_DOWN

logger = logging.getLogger(__name__)


def _count(key: str, window: int) -> int:
    """Add one to the window's counter and return it. On Redis one round trip (INCR and EXPIRE NX pipelined); on
    other caches add-then-incr. Redis down counts as the first request of the window (the cache fails soft)."""
    backend = caches[DEFAULT_CACHE_ALIAS]  # the backend itself: ``cache`` is a proxy, never a RedisCache
    if isinstance(backend, RedisCache):
        full = backend.make_and_validate_key(key)
        try:
            pipe = backend._cache.get_client(full, write=True).pipeline(transaction=False)
            pipe.incr(full)
            pipe.expire(full, window + 5, nx=True)
            return pipe.execute()[0]
        except REDIS_DOWN as error:
            logger.warning("Cache unreachable, rate count treated as the first (%s)", error)
            return 1
    backend.add(key, 0, window + 5)
    try:
        return backend.incr(key)
    except ValueError:  # expired between add and incr
        backend.set(key, 1, window + 5)
        return 1


class ApiClientRateThrottle(BaseThrottle):
    window = 60

    def allow_request(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return True  # refused by authentication anyway
        principal = principal_for(request)
        if principal.is_client:
            who, limit = f"c{principal.client_pk}", principal.rate_limit_per_minute
        else:
            who, limit = f"u{request.user.pk}", int(getattr(settings, "API_STAFF_RATE_PER_MINUTE", 600))
        now = time.time()
        slot = int(now // self.window)
        self._wait = self.window - (now % self.window)
        return _count(f"api:rate:{who}:{slot}", self.window) <= limit

    def wait(self):
        return getattr(self, "_wait", self.window)


class TokenEndpointThrottle(SimpleRateThrottle):
    scope = "oauth_token"

    def get_rate(self):
        return f"{int(getattr(settings, 'API_TOKEN_RATE_PER_MINUTE', 120))}/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


FAILURE_WINDOW = 60


def _now() -> float:
    return time.time()


def _failure_key(client_id: str) -> str:
    slot = int(_now() // FAILURE_WINDOW)
    return f"api:token-fail:{hashlib.sha256(client_id.encode()).hexdigest()}:{slot}"


def token_failures_limit() -> int:
    return int(getattr(settings, "API_TOKEN_FAILURES_PER_MINUTE", 10))


def token_failures_exceeded(client_id: str) -> bool:
    """Too many wrong secrets for this client id in the current minute, from any address."""
    return int(cache.get(_failure_key(client_id)) or 0) >= token_failures_limit()


def token_failure_count(client_id: str) -> int:
    """Count one wrong secret (or unknown id) for ``client_id``."""
    return _count(_failure_key(client_id), FAILURE_WINDOW)


def token_failures_wait() -> float:
    return FAILURE_WINDOW - (_now() % FAILURE_WINDOW)
