"""Thin Celery tasks for the handover engine; each periodic one has a management command doing the same."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

# One prison's part: sized for the largest prison (about 2,000 cases, seconds of work) with a wide margin.
PRISON_SOFT_TIME_LIMIT = 10 * 60
PRISON_TIME_LIMIT = 12 * 60


@shared_task(name="handover.sweep")
def handover_sweep() -> dict:
    """The nightly sweep (03:00 Europe/London): the dispatcher, one ``handover.sweep_prison`` per prison on the
    ``recalc`` queue. A sweep running in process makes this one a no-op; today's fanned-out run unfinished has its
    unfinished prisons queued again."""
    from handover.services.sweep import SweepLocked
    from handover.services.sweep_fanout import sweep_dispatch

    try:
        run = sweep_dispatch(today=timezone.localdate())
    except SweepLocked:
        return {"locked": True}
    return {"run": run.pk, "prisons": run.prisons_total}


@shared_task(
    bind=True,
    name="handover.sweep_prison",
    acks_late=True,
    soft_time_limit=PRISON_SOFT_TIME_LIMIT,
    time_limit=PRISON_TIME_LIMIT,
    # the database went away (restart, failover): try again later; the prison goes on after its last chunk
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=3,
)
def handover_sweep_prison(self, run_id: int, prison_code: str, today_iso: str) -> str:
    """One prison of a fanned-out sweep. Idempotent: a prison done for the run is skipped; a redelivered task goes on
    after the last committed chunk."""
    import datetime as dt

    from django.conf import settings

    from handover.services.sweep_fanout import sweep_prison

    worker = self.request.hostname or ""
    today = dt.date.fromisoformat(today_iso)
    chunk_size = settings.HANDOVER_SWEEP_CHUNK_SIZE
    return sweep_prison(run_id, prison_code, today=today, chunk_size=chunk_size, worker=worker)


@shared_task(name="handover.sweep_resume")
def handover_sweep_resume() -> dict:
    """03:30, after the dispatcher: queue again the unfinished prisons of today's fanned-out run (a task lost or
    failed for good); a no-op when the run is finished. ``manage.py handover_sweep --fan-out --resume`` does the
    same."""
    from handover.services.sweep_fanout import sweep_resume, sweep_run_unfinished

    run = sweep_run_unfinished(today=timezone.localdate())
    if run is None:
        return {"run": None, "queued": 0}
    return {"run": run.pk, "queued": sweep_resume(run.pk)}


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
