"""Celery tasks for case tasks (thin and idempotent; each has a management command: ``tasks_recompute``)."""

from celery import shared_task
from django.utils import timezone

__all__ = ["tasks_recompute", "tasks_recompute_case", "tasks_recompute_dispatch", "tasks_recompute_prison"]

QUEUED_KEY = "casework:task-recompute-queued:{}"
FANOUT_JOB = "casework.tasks_recompute"


@shared_task(name="casework.tasks_recompute")
def tasks_recompute() -> dict:
    """Nightly (and after a timescale change): recompute every case's tasks. A run already going makes this a no-op."""
    from casework.task_recompute import RecomputeLocked, tasks_recompute_all

    try:
        counts = tasks_recompute_all(today=timezone.localdate())
    except RecomputeLocked:
        return {"locked": True}
    return counts.as_dict()


@shared_task(name="casework.tasks_recompute_dispatch")
def tasks_recompute_dispatch() -> dict:
    """The nightly recompute fanned out: one ``casework.tasks_recompute_prison`` per prison on the ``recalc`` queue.
    Once a day (a second dispatch the same day, e.g. from a second beat, queues nothing); progress in the cache
    (``omic.celery.fanout_progress("casework.tasks_recompute", day)``)."""
    from omic.celery import fanout_dispatch

    return fanout_dispatch(FANOUT_JOB, tasks_recompute_prison, today=timezone.localdate())


@shared_task(name="casework.tasks_recompute_prison", acks_late=True, soft_time_limit=10 * 60, time_limit=12 * 60)
def tasks_recompute_prison(prison_code: str, today_iso: str) -> dict:
    """One prison's case tasks (idempotent: only the differences are written)."""
    import datetime as dt

    from casework.task_recompute import tasks_recompute_prison as recompute_prison
    from omic.celery import fanout_prison_done

    today = dt.date.fromisoformat(today_iso)
    counts = recompute_prison(prison_code, today=today).as_dict()
    fanout_prison_done(FANOUT_JOB, today, prison_code, failed=bool(counts["errors"]))
    return counts


@shared_task(name="casework.task_recompute_case")
def tasks_recompute_case(prison_number: str) -> dict:
    """Recompute one case's tasks (queued after the commit of a change to its facts)."""
    from django.core.cache import cache

    from casework.task_recompute import tasks_recompute_for

    cache.delete(QUEUED_KEY.format(prison_number))
    return tasks_recompute_for([prison_number], today=timezone.localdate()).as_dict()
