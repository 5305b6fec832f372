"""Key work Celery jobs: thin and idempotent; each has a management command for cron."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(name="keywork.return_from_leave")
def return_from_leave() -> int:
    from keywork.job_services import key_workers_return_from_leave

    return key_workers_return_from_leave(today=timezone.localdate())


@shared_task(name="keywork.snapshot")
def snapshot(day: str | None = None) -> int:
    """Record yesterday's key work figures for every prison (or the given ISO day's)."""
    from keywork.job_services import snapshot_all_prisons

    target = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    return snapshot_all_prisons(day=target)


# The recording jobs (overdue-session alerts, the monthly quality sample) live beside the recording services.
from keywork.recording_tasks import overdue_alerts, quality_sample  # noqa: E402, F401
