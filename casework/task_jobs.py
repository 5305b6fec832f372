"""Celery tasks for case tasks (thin and idempotent; each has a management command: ``tasks_recompute``)."""

from celery import shared_task
from django.utils import timezone

__all__ = ["tasks_recompute", "tasks_recompute_case"]

QUEUED_KEY = "casework:task-recompute-queued:{}"


@shared_task(name="casework.tasks_recompute")
def tasks_recompute() -> dict:
    """Nightly (and after a timescale change): recompute every case's tasks. A run already going makes this a no-op."""
    from casework.task_recompute import RecomputeLocked, tasks_recompute_all

    try:
        counts = tasks_recompute_all(today=timezone.localdate())
    except RecomputeLocked:
        return {"locked": True}
    return counts.as_dict()


@shared_task(name="casework.task_recompute_case")
def tasks_recompute_case(prison_number: str) -> dict:
    """Recompute one case's tasks (queued after the commit of a change to its facts)."""
    from django.core.cache import cache

    from casework.task_recompute import tasks_recompute_for

    cache.delete(QUEUED_KEY.format(prison_number))
    return tasks_recompute_for([prison_number], today=timezone.localdate()).as_dict()
