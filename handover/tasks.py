"""Thin Celery tasks for the handover engine; each periodic one has a management command doing the same."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="handover.sweep")
def handover_sweep() -> dict:
    """The nightly sweep (03:00 Europe/London). A sweep already running makes this one a no-op."""
    from handover.services.sweep import SweepLocked, sweep

    try:
        run = sweep(today=timezone.localdate())
    except SweepLocked:
        return {"locked": True}
    return {"computed": run.computed, "changed": run.changed, "errors": run.errors}


@shared_task(name="handover.recalculate")
def handover_recalculate(prison_number: str, trigger: str = "change") -> str:
    """Recalculate one prisoner (queued after the commit of a relevant change). Idempotent."""
    from handover.services.recalculation import recalculate
    from handover.signals import queued_clear

    queued_clear(prison_number)
    return recalculate(prison_number, today=timezone.localdate(), trigger=trigger).outcome


@shared_task(name="handover.reminders")
def handover_reminders() -> dict:
    """Daily: bring every handover alert up to date, then send the POM reminders and the "assign a COM" emails."""
    from handover.services.reminders import reminders_run

    return reminders_run(today=timezone.localdate())


@shared_task(name="handover.ldu_pipeline")
def ldu_pipeline() -> int:
    """On the 1st of each month: each delivery unit's CSV of cases starting handover within 45 days."""
    from handover.services.notifications import ldu_pipeline_send

    return ldu_pipeline_send(today=timezone.localdate())
