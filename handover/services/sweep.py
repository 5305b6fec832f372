"""The nightly sweep: recalculate every prisoner's handover, prison by prison, in bulk.

- Chunked by prison (and by ``chunk_size`` prisoners within a prison): per chunk one lock of its prisoners, one
  read of the facts (one joined ``values()`` query), one read of the stored rows, then bulk writes of only the
  changed rows (new rows, history rows and audit events by ``insert_rows``, which is COPY on PostgreSQL;
  ``bulk_update`` of changed rows), then the checklist resets and the alerts for the chunk. The number of queries
  grows with the number of chunks, never with the number of prisoners.
- Idempotent: a second sweep on the same day and data changes nothing.
- Error-isolated: a case whose calculation fails is logged and counted and the sweep goes on; if a chunk's bulk
  write is refused, that chunk is written again row by row, each in its own savepoint, so one bad row costs one case.
- Locked: two sweeps never overlap (PostgreSQL: a session advisory lock, ``pg_try_advisory_lock``; otherwise a cache
  lock). A sweep that finds the lock taken raises SweepLocked and writes nothing.
- Counted: computed, changed and errors go into a SweepRun row.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.bulk import insert_rows
from cases.models import AuditEvent, Prison, Prisoner
from handover.calculations import calculate
from handover.facts import fact_rows, facts_from_row
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun
from handover.services import stored
from handover.services.alerts import alerts_sync
from handover.services.recalculation import checklists_reset
from handover.signals import handover_changed, handover_dates_change
from omic.locks import single_run

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
BATCH_SIZE = 1000
ADVISORY_LOCK_KEY = 0x0A1C_4A0D  # "handover sweep": any fixed 64-bit number that no other lock uses
CACHE_LOCK_KEY = "handover:sweep-lock"
CACHE_LOCK_SECONDS = 2 * 60 * 60
UPDATE_FIELDS = [*stored.COMPARED, "calculated_on", "last_calculated_at", "last_changed_at"]
ACTOR_LABEL = "handover sweep"


class SweepLocked(Exception):
    """Another sweep holds the lock."""


def sweep_lock():
    """Hold the sweep lock for the block, or raise SweepLocked at once if another sweep has it."""
    return single_run(
        advisory_key=ADVISORY_LOCK_KEY,
        cache_key=CACHE_LOCK_KEY,
        cache_seconds=CACHE_LOCK_SECONDS,
        locked_error=SweepLocked("another handover sweep is running"),
    )


@dataclass
class ChunkCounts:
    computed: int = 0
    changed: int = 0
    errors: int = 0

    def __iadd__(self, other: "ChunkCounts") -> "ChunkCounts":
        self.computed += other.computed
        self.changed += other.changed
        self.errors += other.errors
        return self


def _sweep_rows(prison_code: str):
    return fact_rows().filter(prison_id=prison_code, case_information__isnull=False).order_by("prison_number")


def chunk_ranges(prison_code: str, chunk_size: int, *, after: str = ""):
    """(first, last, count) prison numbers of each chunk of the prison's prisoners with case information after
    ``after`` (a resumed prison goes on from its last committed chunk): a light keyset read of the numbers only (no
    OFFSET); each chunk's facts are read under its lock by ``sweep_chunk``."""
    numbers = (
        Prisoner.objects.filter(prison_id=prison_code, case_information__isnull=False)
        .order_by("prison_number")
        .values_list("prison_number", flat=True)
    )
    last = after
    while True:
        page = list(numbers.filter(prison_number__gt=last)[:chunk_size])
        if page:
            yield page[0], page[-1], len(page)
        if len(page) < chunk_size:
            return
        last = page[-1]


def sweep_chunk(
    code: str, between: tuple[str, str], *, today: dt.date, trigger: str = "sweep", now: dt.datetime | None = None
):
    """Recalculate one chunk (one prison's prisoners between two prison numbers) and write only what changed.

    The chunk's prisoners are locked (in prison-number order, as ``recalculate`` locks one) from the read to the
    write, so an on-change recalculation committed in between is never overwritten with a stale result: it waits
    for the chunk, or the chunk waits for it and reads its facts afterwards.
    """
    now = now or timezone.now()
    counts = ChunkCounts()
    with transaction.atomic():
        _lock_chunk(code, between)
        rows = list(_sweep_rows(code).filter(prison_number__range=between))
        changes = _calculate_chunk(rows, code, between, today=today, now=now, counts=counts)
        if changes:
            written, failed = _write(changes, trigger=trigger, now=now)
            counts.changed += written
            counts.errors += failed
            counts.computed -= failed
    _after_chunk(changes, code, between, today=today)
    return counts


def _lock_chunk(code: str, between: tuple[str, str]) -> int:
    """Lock every prisoner of the chunk, in prison-number order; returns how many. Every row must be fetched: a
    ``FOR UPDATE`` query locks only the rows it returns, so ``.first()`` or ``.last()`` (``LIMIT 1``) would lock one."""
    rows = Prisoner.objects.select_for_update().filter(prison_id=code, prison_number__range=between)
    return len(rows.order_by("prison_number").values_list("pk", flat=True))


def _reraise_time_limit(error: Exception) -> None:
    """A task's soft time limit is not one case's failure: it stops the task (the chunk rolls back)."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(error, SoftTimeLimitExceeded):
        raise error


def _calculate_chunk(rows, code, between, *, today, now, counts) -> list:
    # Ranges, not long IN lists, in every query.
    stored_rows = CalculatedHandover.objects.filter(prisoner__prison_id=code, prisoner__prison_number__range=between)
    existing = {r["prisoner_id"]: r for r in stored_rows.values("prisoner_id", *stored.COMPARED)}  # no instances
    changes = []  # (handover, before, after)
    for row in rows:
        number = row["prison_number"]
        try:
            facts = facts_from_row(row, today)
            after = stored.result_values(facts, calculate(facts, today))
        except Exception as error:
            _reraise_time_limit(error)
            logger.exception("handover sweep: the calculation failed for %s", number)
            counts.errors += 1
            continue
        counts.computed += 1
        before = existing.get(number)
        if stored.differs(before, after):
            handover = stored.apply(CalculatedHandover(prisoner_id=number), after, today=today, now=now)
            changes.append((handover, before, after))
    return changes


def _write(changes, *, trigger: str, now: dt.datetime) -> tuple[int, int]:
    """Bulk-write the changed rows with their history and audit events; row by row if the bulk write is refused."""
    reason = f"Recalculated: {trigger}"
    try:
        with transaction.atomic():
            new = [h for h, before, _ in changes if before is None]
            changed = [h for h, before, _ in changes if before is not None]
            insert_rows(CalculatedHandover, new)
            CalculatedHandover.objects.bulk_update(changed, UPDATE_FIELDS, batch_size=BATCH_SIZE // 2)
            insert_rows(
                CalculatedHandoverHistory, [stored.history_for(h, trigger=trigger, now=now) for h, _, _ in changes]
            )
            insert_rows(
                AuditEvent,
                [stored.audit_for(h, before=b, actor_label=ACTOR_LABEL, reason=reason, now=now) for h, b, _ in changes],
            )
            _dates_changed([handover_dates_change(h.prisoner_id, b, a) for h, b, a in changes])
        return len(changes), 0
    except DatabaseError:
        logger.exception("handover sweep: a bulk write was refused; writing the chunk row by row")
    written = failed = 0
    for handover, before, after in changes:
        try:
            with transaction.atomic():
                handover.save(force_insert=before is None)
                CalculatedHandoverHistory.objects.create(**stored.history_for(handover, trigger=trigger, now=now))
                event = stored.audit_for(handover, before=before, actor_label=ACTOR_LABEL, reason=reason, now=now)
                AuditEvent.objects.create(**event)
                _dates_changed([handover_dates_change(handover.prisoner_id, before, after)])
            written += 1
        except DatabaseError:
            logger.exception("handover sweep: could not save the result for %s", handover.prisoner_id)
            failed += 1
    return written, failed


def _dates_changed(entries: list) -> None:
    """Tell the listeners of ``handover.signals.handover_changed`` whose handover dates changed, in this transaction."""
    changes = [entry for entry in entries if entry is not None]
    if changes:
        handover_changed.send(sender=CalculatedHandover, changes=changes)


def _after_chunk(changes, code: str, between: tuple[str, str], *, today: dt.date) -> None:
    leaving = {
        h.prisoner_id: after for h, before, after in changes if stored.leaves_handover_window(before, after, today)
    }
    for name, step in (
        ("checklist reset", lambda: leaving and checklists_reset(leaving, after_types=leaving)),
        ("alerts", lambda: alerts_sync(today=today, prison_code=code, numbers_between=between)),
    ):
        try:
            step()
        except Exception as error:
            _reraise_time_limit(error)
            logger.exception("handover sweep: the %s failed for %s prisoners %s to %s", name, code, *between)


def sweep(
    *,
    today: dt.date,
    prison_code: str | None = None,
    progress=None,
    chunk_size: int = CHUNK_SIZE,
    trigger: str = "sweep",
) -> SweepRun:
    """Recalculate every prisoner with case information (or one prison's) for ``today``; returns the SweepRun.

    ``progress`` is a text stream for a tqdm bar (None: no bar). Raises SweepLocked if a sweep is already running.
    """
    from tqdm import tqdm

    with sweep_lock():
        now = timezone.now()
        run = SweepRun.objects.create(started_at=now, calculated_on=today, prison_id=prison_code)
        codes = [prison_code] if prison_code else list(Prison.objects.order_by("code").values_list("code", flat=True))
        total = None
        if progress is not None:
            total = Prisoner.objects.filter(prison_id__in=codes, case_information__isnull=False).count()
        counts = ChunkCounts()
        with tqdm(total=total, file=progress, disable=progress is None, unit="case") as bar:
            for code in codes:
                bar.set_description_str(code)
                for first, last, size in chunk_ranges(code, chunk_size):
                    counts += sweep_chunk(code, (first, last), today=today, trigger=trigger, now=now)
                    bar.update(size)
        run.computed, run.changed, run.errors = counts.computed, counts.changed, counts.errors
        run.finished_at = timezone.now()
        run.save(update_fields=["computed", "changed", "errors", "finished_at"])
    logger.info(
        "handover sweep for %s: %s computed, %s changed, %s errors", today, run.computed, run.changed, run.errors
    )
    return run
