"""Service-level housekeeping shared by every app."""

import datetime as dt
from dataclasses import asdict, dataclass
from importlib import import_module

from django.conf import settings
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


@dataclass(frozen=True)
class SignInTidy:
    expired_sessions: int | None  # None: the session engine keeps no rows to count (it clears them its own way)
    sign_ins: int
    failed_sign_ins: int

    def as_dict(self) -> dict:
        return asdict(self)


def sign_in_records_tidy(*, now: dt.datetime) -> SignInTidy:
    """Nightly: delete expired sessions, which Django keeps until told (each sign-in makes one, so at national scale,
    with about 18,000 staff, they pile up by the thousands a day), and django-axes' records of sign-ins and failed
    sign-ins older than SIGN_IN_LOG_RETENTION_DAYS. The lockout counts (``AccessAttempt``) are axes' own business and
    are left alone. Idempotent: a rerun deletes nothing."""
    from axes.models import AccessFailureLog, AccessLog

    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):  # the database engines (db, cached_db): count what goes
        expired, _ = store.get_model_class().objects.filter(expire_date__lt=now).delete()
    else:
        store.clear_expired()
        expired = None
    cutoff = now - dt.timedelta(days=settings.SIGN_IN_LOG_RETENTION_DAYS)
    sign_ins, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failed, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return SignInTidy(expired_sessions=expired, sign_ins=sign_ins, failed_sign_ins=failed)
