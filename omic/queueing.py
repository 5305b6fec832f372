"""Queue a Celery job without letting an unreachable broker break the page that asked for it.

``enqueue`` publishes once, with no retry (the broker's connection timeout is short: settings
``CELERY_BROKER_CONNECTION_TIMEOUT`` and ``CELERY_BROKER_TRANSPORT_OPTIONS``). If the broker cannot be reached it logs a
warning and, unless the caller has an outbox of its own (integration's stored events and deliveries, caught up by
``integration_requeue``), records the job as a ``PendingJob`` keyed by task and arguments. ``jobs_catch_up`` (every
few minutes, and ``manage.py jobs_catch_up`` from cron) runs what was missed; the nightly sweeps catch up anyway.

With the in-memory broker (the quick start) tasks run eagerly: ``enqueue`` then runs the job at once, and its errors
propagate as they always did.
"""

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What a publish raises when the broker is down, refuses us or times out (kombu wraps most into OperationalError).
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError, OSError)
MAX_ATTEMPTS = 5
CLAIM_SECONDS = 60 * 60  # longer than any job may run (the hard time limit): a claim older than this was lost


def job_key(task_name: str, args=(), kwargs=None) -> str:
    """The outbox key of one job: the same task with the same arguments is one row, however often it is missed."""
    text = json.dumps([task_name, list(args), kwargs or {}], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def enqueue(task, args=(), kwargs=None, *, catch_up: bool = True, key: str | None = None) -> bool:
    """Publish ``task`` with ``args``; True when queued (or run eagerly). On a broker error: a warning, the job kept
    in the outbox when ``catch_up``, and False. Never retries and never raises a broker error. ``key`` names what
    the job is about when other arguments may differ (one handover recalculation per prisoner, whatever triggered
    it): one outbox row per key."""
    args, kwargs = list(args), dict(kwargs or {})
    if task.app.conf.task_always_eager:
        task.apply_async(args, kwargs)
        return True
    try:
        task.apply_async(args, kwargs, retry=False)
    except BROKER_ERRORS as error:
        logger.warning("Broker unreachable, %s%s not queued (%s)", task.name, tuple(args), error)
        if catch_up:
            pending_record(task.name, args, kwargs, error=str(error), key=key)
        return False
    return True


def enqueue_after_commit(task, args=(), kwargs=None, *, catch_up: bool = True, key: str | None = None) -> None:
    """``enqueue`` once the current transaction commits (never on a rollback); an error is logged, never raised."""

    # a function, not a functools.partial: Django logs a robust callback's error with its __qualname__
    def queue() -> None:
        enqueue(task, args, kwargs, catch_up=catch_up, key=key)

    transaction.on_commit(queue, robust=True)


def pending_record(task_name: str, args, kwargs, *, error: str = "", key: str | None = None) -> None:
    """Keep a job for the catch-up; the same job (or key) already waiting is not stored twice."""
    from omic.models import PendingJob

    key = job_key(task_name, [key], None) if key is not None else job_key(task_name, args, kwargs)
    PendingJob.objects.bulk_create(
        [PendingJob(key=key, task=task_name, args=args, kwargs=kwargs, last_error=error)],
        ignore_conflicts=True,
    )


@dataclass
class CatchUp:
    run: int = 0
    failed: int = 0
    waiting: int = 0  # left for a later run: over the limit, or given up after MAX_ATTEMPTS

    def as_dict(self) -> dict:
        return {"run": self.run, "failed": self.failed, "waiting": self.waiting}


def jobs_catch_up(*, limit: int = 1000, progress=None) -> CatchUp:
    """Run every job the broker missed, oldest first, here and now (the broker may still be down).

    Each row is first claimed (``claimed_at`` set and ``attempts`` counted in one conditional UPDATE, committed), then
    its job runs outside any transaction (a bulk job holds no lock for its whole run; a job that sent an email is not
    rolled back to be sent again), then the row is deleted. Two catch-ups side by side: only one claims a row, so each
    job runs once. A failure keeps the row with its error and releases the claim (tried again up to MAX_ATTEMPTS); a
    claim left by a catch-up that died is taken again after CLAIM_SECONDS."""
    from django.db.models import Q
    from django.utils import timezone

    from omic.celery import app
    from omic.models import PendingJob

    counts = CatchUp()
    pks = list(PendingJob.objects.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)[:limit])
    for pk in progress(pks) if progress else pks:
        now = timezone.now()
        free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - dt.timedelta(seconds=CLAIM_SECONDS))
        with transaction.atomic():  # the claim commits before the job runs (autocommit: this is its own transaction)
            claimed = PendingJob.objects.filter(free, pk=pk, attempts__lt=MAX_ATTEMPTS).update(
                claimed_at=now, attempts=F("attempts") + 1
            )
        if not claimed:
            continue  # another catch-up has it, or it is done
        row = PendingJob.objects.get(pk=pk)
        try:
            app.tasks[row.task](*row.args, **row.kwargs)
        except Exception as error:  # noqa: BLE001  (one job's failure must not stop the others)
            logger.exception("Catching up pending job %s failed", pk)
            counts.failed += 1
            PendingJob.objects.filter(pk=pk).update(claimed_at=None, last_error=repr(error)[:2000])
            continue
        row.delete()
        counts.run += 1
    counts.waiting = pending_job_count()
    return counts


def queue_depths(queues: tuple[str, ...] | None = None) -> dict[str, int] | None:
    """Messages waiting in each Celery queue (``omic.celery.QUEUES`` unless named), or None where no broker holds them
    (eager tasks, the quick start) or it cannot be reached (a warning in the log). A queue never used counts 0."""
    from django.conf import settings
    from kombu.exceptions import ChannelError

    from omic.celery import QUEUES, app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            channel = connection.default_channel
            depths = {}
            for name in queues or QUEUES:
                try:
                    depths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:  # never declared: nothing was ever queued there
                    depths[name] = 0
            return depths
    except BROKER_ERRORS as error:
        logger.warning("queue depths: the broker could not be reached (%s)", type(error).__name__)
        return None


def pending_job_count() -> int:
    """Jobs the broker refused, waiting for ``jobs_catch_up``."""
    from omic.models import PendingJob

    return PendingJob.objects.count()
