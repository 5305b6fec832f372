"""The nightly handover sweep fanned out across the Celery workers, one task per prison.

Queues (``omic/celery.py``): ``default``, ``recalc`` (this sweep and every batch recalculation), ``integration``,
``notify`` (emails). Beat (exactly one) sends ``handover.sweep`` at 03:00; that task is the dispatcher.

- ``sweep_dispatch(today=...)`` creates one parent ``SweepRun`` (``fanout=True``, ``prisons_total``) and one
  ``SweepRunPrison`` per prison (unique per run and prison) in one transaction, then, after the commit, queues
  ``handover.sweep_prison(run_id, prison_code, today_iso)`` on ``recalc`` for each prison. It holds the global sweep
  lock (``sweep_lock``: no dispatch while an in-process sweep runs) and a partial unique constraint allows one
  unfinished fanned-out run a day, so a second dispatch (a second beat, a retry, a person) creates no second run: it
  queues the unfinished run's unfinished prisons again (``sweep_resume``; copies are harmless) and returns that run.
  Beat also sends ``handover.sweep_resume`` at 03:30, which only does that. Each task is published through
  ``omic.queueing.enqueue``: with the broker down the prison is kept as a ``PendingJob`` for the catch-up.
- ``sweep_prison(run_id, prison_code, today=...)`` holds a per-prison advisory lock (a second copy of the task for the
  same prison returns "locked" at once), skips a prison already done for the run, and sweeps the prison's chunks with
  ``sweep.sweep_chunk``. Each chunk commits in ONE transaction with its counts (added to the prison's row and, by F
  expressions, to the parent) and the prison's ``resume_after`` (the chunk's last prison number). At the end one
  UPDATE marks the prison done only if it is not done yet; only then is ``prisons_done`` incremented, and the parent
  gets ``finished_at`` when ``prisons_done`` reaches ``prisons_total``.
- A worker killed mid-prison (SIGKILL, OOM, a lost machine): its chunk's transaction rolls back and its advisory lock
  goes with its connection. The task was not acknowledged (``acks_late``, ``reject_on_worker_lost``), so Redis
  redelivers it after the broker's ``visibility_timeout``; ``sweep_resume`` (``manage.py handover_sweep --resume``,
  the 03:30 beat job) re-queues the unfinished prisons at once instead of waiting. A task failing on a database
  error (connection lost, failover) is retried by Celery with a backoff (``handover.sweep_prison``). Either way the
  prison goes on after its last committed chunk: every case is computed and counted once, and only changed rows are
  written, so no history or audit row is written twice. Duplicate copies of a task are harmless (lock, done-once
  update).
- ``manage.py handover_sweep`` still sweeps in process (one lock, a progress bar); ``--fan-out`` dispatches and waits,
  polling ``prisons_done``.
"""

import datetime as dt
import logging
import zlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Prison
from handover.models import SweepRun, SweepRunPrison
from handover.services.sweep import CHUNK_SIZE, SweepLocked, chunk_ranges, sweep_chunk, sweep_lock
from omic.locks import single_run

__all__ = ["prison_lock", "sweep_dispatch", "sweep_prison", "sweep_resume", "sweep_run_unfinished"]

logger = logging.getLogger(__name__)

PRISON_LOCK_NAMESPACE = 0x0A1C << 32  # "handover sweep", shifted: the low 32 bits are the prison code's CRC-32
PRISON_LOCK_SECONDS = 30 * 60
QUEUE = "recalc"


def prison_lock(prison_code: str):
    """Hold one prison's sweep lock for the block, or raise SweepLocked if another task is sweeping it."""
    return single_run(
        advisory_key=PRISON_LOCK_NAMESPACE | zlib.crc32(prison_code.encode()),
        cache_key=f"handover:sweep-prison-lock:{prison_code}",
        cache_seconds=PRISON_LOCK_SECONDS,
        locked_error=SweepLocked(f"another task is sweeping {prison_code}"),
    )


def sweep_run_unfinished(*, today: dt.date) -> SweepRun | None:
    return SweepRun.objects.filter(fanout=True, calculated_on=today, finished_at__isnull=True).first()


def _queue(run_id: int, codes: list[str], today: dt.date) -> None:
    """One task per prison on ``recalc`` (the task's route); a publish the broker refuses is kept as a PendingJob
    (``omic.queueing``), and the 03:30 resume queues the run's unfinished prisons again anyway."""
    from handover.tasks import handover_sweep_prison
    from omic.queueing import enqueue

    for code in codes:
        enqueue(handover_sweep_prison, (run_id, code, today.isoformat()))


def sweep_dispatch(*, today: dt.date) -> SweepRun:
    """Create today's fanned-out run and queue one task per prison after the commit; if today's fanned-out run is
    unfinished, queue its unfinished prisons again instead and return it. Raises SweepLocked if a sweep is running
    in process."""
    with sweep_lock():
        if (unfinished := sweep_run_unfinished(today=today)) is not None:
            queued = sweep_resume(unfinished.pk)
            logger.info(
                "handover sweep for %s: run %s unfinished, %s prisons queued again", today, unfinished.pk, queued
            )
            return unfinished
        codes = list(Prison.objects.order_by("code").values_list("code", flat=True))
        now = timezone.now()
        try:
            with transaction.atomic():
                run = SweepRun.objects.create(
                    started_at=now,
                    calculated_on=today,
                    fanout=True,
                    prisons_total=len(codes),
                    finished_at=None if codes else now,
                )
                SweepRunPrison.objects.bulk_create([SweepRunPrison(run=run, prison_id=code) for code in codes])
                transaction.on_commit(lambda: _queue(run.pk, codes, today))
        except IntegrityError as error:  # another dispatcher (without the lock: SQLite's cache) got there first
            raise SweepLocked(f"the fanned-out sweep for {today} is unfinished") from error
    logger.info("handover sweep for %s: run %s dispatched to %s prisons", today, run.pk, len(codes))
    return run


def sweep_resume(run_id: int) -> int:
    """Queue again the prisons of an unfinished run that are not done (after a worker died); returns how many."""
    run = SweepRun.objects.get(pk=run_id)
    codes = list(run.prisons.filter(finished_at__isnull=True).order_by("prison_id").values_list("prison_id", flat=True))
    if codes:
        transaction.on_commit(lambda: _queue(run.pk, codes, run.calculated_on))
    return len(codes)


def sweep_prison(
    run_id: int,
    prison_code: str,
    *,
    today: dt.date,
    chunk_size: int = CHUNK_SIZE,
    trigger: str = "sweep",
    worker: str = "",
) -> str:
    """Sweep one prison for a fanned-out run: "done", "skipped" (done before), "locked" or "unknown".
    ``worker`` (the Celery worker's hostname) is recorded on the prison's row."""
    try:
        with prison_lock(prison_code):
            return _sweep_prison_locked(
                run_id, prison_code, today=today, chunk_size=chunk_size, trigger=trigger, worker=worker
            )
    except SweepLocked:
        logger.info("handover sweep: %s is being swept by another task (run %s)", prison_code, run_id)
        return "locked"


def _sweep_prison_locked(run_id, prison_code, *, today, chunk_size, trigger, worker) -> str:
    part = SweepRunPrison.objects.filter(run_id=run_id, prison_id=prison_code).first()
    if part is None:
        return "unknown"
    if part.finished_at is not None:
        return "skipped"
    now = timezone.now()
    parts = SweepRunPrison.objects.filter(pk=part.pk)
    parts.update(attempts=F("attempts") + 1, started_at=Coalesce(F("started_at"), now))
    runs = SweepRun.objects.filter(pk=run_id)
    ranges = list(chunk_ranges(prison_code, chunk_size, after=part.resume_after))
    for index, (first, last, _) in enumerate(ranges):
        with transaction.atomic():
            counts = sweep_chunk(prison_code, (first, last), today=today, trigger=trigger, now=now)
            added = {
                "computed": F("computed") + counts.computed,
                "changed": F("changed") + counts.changed,
                "errors": F("errors") + counts.errors,
            }
            parts.update(resume_after=last, **added)
            runs.update(**added)
            if index == len(ranges) - 1:  # the last chunk commits with the prison's end: one commit fewer
                _finish(parts, runs, worker)
    if not ranges:
        with transaction.atomic():
            _finish(parts, runs, worker)
    logger.info("handover sweep: %s done (run %s)", prison_code, run_id)
    return "done"


def _finish(parts, runs, worker: str) -> None:
    """Mark the prison done in ONE UPDATE, only if it is not done yet; then count it on the run (once) and finish the
    run when every prison is done."""
    if parts.filter(finished_at__isnull=True).update(finished_at=timezone.now(), swept_by=worker):
        runs.update(prisons_done=F("prisons_done") + 1)
        runs.filter(prisons_done=F("prisons_total"), finished_at__isnull=True).update(finished_at=timezone.now())
