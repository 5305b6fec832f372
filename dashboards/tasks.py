"""Dashboard Celery jobs: thin and idempotent; each has a management command for cron."""

from celery import shared_task
from django.utils import timezone

FANOUT_JOB = "dashboards.measures_snapshot"


@shared_task(name="dashboards.measures_snapshot")
def measures_snapshot() -> dict:
    """Record today's OMiC measures for every prison (a re-run replaces the day's rows)."""
    from dashboards.national_services import measures_snapshot_all

    return measures_snapshot_all(today=timezone.localdate())


@shared_task(name="dashboards.measures_snapshot_dispatch")
def measures_snapshot_dispatch() -> dict:
    """The snapshot fanned out: one ``dashboards.measures_snapshot_prison`` per prison on ``recalc``; once a day
    (a second dispatch the same day queues nothing); progress: ``omic.celery.fanout_progress``."""
    from omic.celery import fanout_dispatch

    return fanout_dispatch(FANOUT_JOB, measures_snapshot_prison, today=timezone.localdate())


@shared_task(name="dashboards.measures_snapshot_prison", acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def measures_snapshot_prison(prison_code: str, today_iso: str) -> dict:
    """One prison's measures for the day (a re-run replaces its row)."""
    import datetime as dt

    from dashboards.national_services import measures_snapshot_all
    from omic.celery import fanout_prison_done

    today = dt.date.fromisoformat(today_iso)
    result = measures_snapshot_all(today=today, prison_codes=[prison_code])
    fanout_prison_done(FANOUT_JOB, today, prison_code, failed=bool(result["failed"]))
    return result
