"""Key work recording jobs, thin and idempotent (loaded by keywork/tasks.py, which Celery autodiscovers). Each has a
management command for cron: ``keywork_overdue_alerts`` and ``keywork_quality_sample``."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="keywork.overdue_alerts")
def overdue_alerts() -> dict:
    """Daily: raise an alert for each prisoner overdue a key work session; resolve those no longer overdue."""
    from keywork.recording_services import overdue_alerts_refresh_all

    return overdue_alerts_refresh_all(today=timezone.localdate())


@shared_task(name="keywork.quality_sample")
def quality_sample() -> dict:
    """Monthly: draw last month's quality-check sample of each key worker's entries in every prison."""
    from keywork.recording_calculations import previous_month
    from keywork.recording_quality_services import quality_samples_draw_all

    today = timezone.localdate()
    return quality_samples_draw_all(month=previous_month(today), today=today, now=timezone.now())
