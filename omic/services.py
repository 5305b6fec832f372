"""Service-level housekeeping shared by every app."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "omic:worker-heartbeat"


def worker_heartbeat_record(*, now: dt.datetime | None = None) -> dt.datetime:
    """Record that a Celery worker (or cron) ran a job just now; /health reports how long ago that was."""
    now = now or timezone.now()
    cache.set(HEARTBEAT_KEY, now.isoformat(), timeout=24 * 60 * 60)
    return now


def worker_heartbeat_last() -> dt.datetime | None:
    value = cache.get(HEARTBEAT_KEY)
    return dt.datetime.fromisoformat(value) if value else None
