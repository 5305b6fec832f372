"""The Celery app. Tasks are autodiscovered from every installed app's ``tasks`` module.

Queues (a worker started without ``-Q`` listens to all four; ``make worker`` names them):

- ``default``: small jobs (heartbeat, transfers, samples, the integration requeue's bookkeeping);
- ``recalc``: the batch recalculations, fanned out one task per prison (handover sweep, tiers, case tasks, measures
  and key work snapshots) and the on-change recalculations of one case;
- ``integration``: inbound domain events and outbound webhook deliveries;
- ``notify``: jobs that send emails.

So a night's batch work never queues behind (or starves) the emails and the integration traffic: run dedicated
workers per queue when one needs more hands (``celery -A omic worker -Q recalc``). Exactly one beat runs (see
``omic/schedules.py``); each batch dispatcher holds a lock, so a second beat would only be refused.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omic.settings")

QUEUES = ("default", "recalc", "integration", "notify")

TASK_ROUTES = {
    # email senders first: the first matching pattern wins
    "handover.reminders": {"queue": "notify"},
    "handover.ldu_pipeline": {"queue": "notify"},
    "casework.early_allocation_reminders": {"queue": "notify"},
    "allocation.*email*": {"queue": "notify"},
    "handover.*": {"queue": "recalc"},
    "tiering.*": {"queue": "recalc"},
    "casework.tasks_recompute*": {"queue": "recalc"},
    "casework.task_recompute_case": {"queue": "recalc"},
    "dashboards.measures_snapshot*": {"queue": "recalc"},
    "keywork.snapshot": {"queue": "recalc"},
    "integration.*": {"queue": "integration"},
}

app = Celery("omic", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name, routing_key=name) for name in QUEUES]
app.conf.task_routes = TASK_ROUTES
app.autodiscover_tasks()

FANOUT_SECONDS = 2 * 24 * 60 * 60


def _fanout_key(job: str, day, part: str) -> str:
    return f"fanout:{job}:{day.isoformat()}:{part}"


def fanout_begin(job: str, day, codes: list[str]) -> bool:
    """Start a day's fanned-out batch job (one task per prison) in the shared cache: False if it was already started
    that day (a second beat, a retry), so the caller queues nothing. Progress: ``fanout_progress``."""
    from django.core.cache import cache

    if not cache.add(_fanout_key(job, day, "started"), len(codes), timeout=FANOUT_SECONDS):
        return False
    cache.set(_fanout_key(job, day, "done"), 0, timeout=FANOUT_SECONDS)
    return True


def fanout_dispatch(job: str, prison_task, *, today) -> dict:
    """Queue ``prison_task(code, today_iso)`` on ``recalc`` for every prison, once a day (``fanout_begin``: a second
    dispatch the same day, e.g. from a second beat, queues nothing). Each prison task reports ``fanout_prison_done``."""
    from cases.models import Prison

    codes = list(Prison.objects.order_by("code").values_list("code", flat=True))
    if not fanout_begin(job, today, codes):
        return {"locked": True}
    for code in codes:
        prison_task.apply_async(args=(code, today.isoformat()), queue="recalc")
    return {"prisons": len(codes)}


def fanout_prison_done(job: str, day, code: str, *, failed: bool = False) -> bool:
    """Count one prison done, once however often its task is delivered; False if it was counted before, or if its
    job reported a failure (``failed``: logged, not counted, so the progress shows the prison is not done)."""
    import logging

    from django.core.cache import cache

    if failed:
        logging.getLogger(__name__).warning("%s for %s on %s reported a failure: not counted as done", job, code, day)
        return False
    if not cache.add(_fanout_key(job, day, f"done:{code}"), 1, timeout=FANOUT_SECONDS):
        return False
    try:
        cache.incr(_fanout_key(job, day, "done"))
    except ValueError:  # the counter expired or was never set (a task run by hand): nothing to count
        return False
    return True


def fanout_forget(job: str, day, codes: list[str]) -> None:
    """Forget a day's fanned-out job (to run it again the same day, by hand)."""
    from django.core.cache import cache

    cache.delete_many([_fanout_key(job, day, p) for p in ("started", "done", *(f"done:{c}" for c in codes))])


def fanout_progress(job: str, day) -> tuple[int, int] | None:
    """(prisons done, prisons queued) of the day's fanned-out job, or None if it was not started."""
    from django.core.cache import cache

    total = cache.get(_fanout_key(job, day, "started"))
    return None if total is None else (cache.get(_fanout_key(job, day, "done"), 0), total)
