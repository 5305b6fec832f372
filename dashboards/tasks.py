"""Dashboard Celery jobs: thin and idempotent; each has a management command for cron."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="dashboards.measures_snapshot")
def measures_snapshot() -> dict:
    """Record today's OMiC measures for every prison (a re-run replaces the day's rows)."""
    from dashboards.national_services import measures_snapshot_all

    return measures_snapshot_all(today=timezone.localdate())
