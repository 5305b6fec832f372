"""Recompute case tasks from the facts: one case after a change, or every case in the nightly bulk run.

- The same code serves both: ``tasks_recompute_for(numbers)`` reads a chunk's facts in three queries, the chunk's
  existing tasks in one, derives each case's tasks (``casework.calculations.tasks``) and writes only the
  differences: new tasks by one bulk insert, moved or completed ones by one bulk update, withdrawn ones by one
  delete. The number of queries grows with the number of chunks, never with the number of cases.
- Completed tasks are never lost: a task that is done or not needed is never changed, moved or deleted. An open task
  the facts no longer call for is withdrawn (deleted); an open task whose fact shows it done (the parole outcome's
  received date, the community's decision) becomes done on that date, with no user.
- Idempotent: recomputing twice with the same facts changes nothing.
- The bulk run (``tasks_recompute_all``) goes prison by prison in chunks, and never overlaps another bulk run
  (PostgreSQL advisory lock, else a cache lock).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases.bulk import insert_rows
from cases.models import Prison, Prisoner
from casework.calculations.tasks import DEFAULT_TIMESCALES, Timescales, derive_tasks
from casework.models import CaseTask, TaskStatus, TaskTimescale
from casework.task_facts import case_facts_for_numbers
from omic.locks import single_run

__all__ = ["RecomputeCounts", "RecomputeLocked", "timescales_current", "tasks_recompute_all", "tasks_recompute_for"]

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
BATCH_SIZE = 1000
ADVISORY_LOCK_KEY = 0x0CA5_7A5C  # "case tasks": a fixed number no other lock uses
CACHE_LOCK_KEY = "casework:tasks-recompute-lock"
CACHE_LOCK_SECONDS = 2 * 60 * 60


class RecomputeLocked(Exception):
    """Another bulk recompute holds the lock."""


@dataclass
class RecomputeCounts:
    cases: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    errors: int = 0
    seconds: float = 0.0
    prisons: list = field(default_factory=list)

    def add(self, other: "RecomputeCounts") -> None:
        self.cases += other.cases
        self.created += other.created
        self.updated += other.updated
        self.withdrawn += other.withdrawn
        self.errors += other.errors

    def as_dict(self) -> dict:
        return {
            "cases": self.cases,
            "created": self.created,
            "updated": self.updated,
            "withdrawn": self.withdrawn,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


def timescales_current() -> Timescales:
    """The D-12 defaults with the service admin's changes laid over them (one query)."""
    changes = {key: (amount, unit) for key, amount, unit in TaskTimescale.objects.values_list("key", "amount", "unit")}
    return DEFAULT_TIMESCALES.with_changes(changes)


EXISTING = ("id", "prisoner_id", "kind", "occurrence", "owner", "due_date", "status")


def _plan(numbers, *, today: dt.date, timescales: Timescales, now):
    """What to write for these cases: (new task rows, changed CaseTasks, ids to delete, counts). Existing tasks are
    read as plain tuples; only the changed ones become model instances (for ``bulk_update``)."""
    facts_by_number = case_facts_for_numbers(numbers)
    existing: dict[str, dict] = {}
    for row in CaseTask.objects.filter(prisoner_id__in=list(facts_by_number)).order_by().values_list(*EXISTING):
        existing.setdefault(row[1], {})[(row[2], row[3])] = row
    new, changed, withdrawn = [], [], []
    counts = RecomputeCounts(cases=len(facts_by_number))
    for number, facts in facts_by_number.items():
        try:
            specs = derive_tasks(facts, today=today, timescales=timescales)
        except Exception:
            logger.exception("Task derivation failed for %s", number)
            counts.errors += 1
            continue
        held = existing.get(number, {})
        for spec in specs:
            row = held.pop(spec.key, None)
            if row is None:
                done = spec.done_on is not None
                new.append(
                    {
                        "prisoner_id": number,
                        "kind": spec.kind,
                        "occurrence": spec.occurrence,
                        "owner": spec.owner,
                        "due_date": spec.due_date,
                        "status": TaskStatus.DONE if done else TaskStatus.DUE,
                        "completed_on": spec.done_on,
                        "completed_by_id": None,
                        "not_needed_reason": "",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                continue
            pk, _, _, _, owner, due_date, status = row
            if status != TaskStatus.DUE:
                continue  # done or not needed: never changed
            if (due_date, owner) != (spec.due_date, spec.owner) or spec.done_on is not None:
                done = spec.done_on is not None
                changed.append(
                    CaseTask(
                        pk=pk,
                        due_date=spec.due_date,
                        owner=spec.owner,
                        status=TaskStatus.DONE if done else TaskStatus.DUE,
                        completed_on=spec.done_on,
                        updated_at=now,
                    )
                )
        withdrawn += [row[0] for row in held.values() if row[6] == TaskStatus.DUE]
    counts.created, counts.updated, counts.withdrawn = len(new), len(changed), len(withdrawn)
    return new, changed, withdrawn, counts


def tasks_recompute_for(numbers, *, today: dt.date, timescales: Timescales | None = None) -> RecomputeCounts:
    """Recompute the tasks of these prisoners (a list of prison numbers) in one transaction."""
    numbers = list(numbers)
    timescales = timescales or timescales_current()
    with transaction.atomic():
        # Lock the cases: a single recompute and the bulk run of the same case then run one after the other.
        list(Prisoner.objects.select_for_update().filter(pk__in=numbers).values_list("pk", flat=True))
        new, changed, withdrawn, counts = _plan(numbers, today=today, timescales=timescales, now=timezone.now())
        if withdrawn:
            CaseTask.objects.filter(pk__in=withdrawn, status=TaskStatus.DUE).delete()
        if changed:
            CaseTask.objects.bulk_update(
                changed, ["due_date", "owner", "status", "completed_on", "updated_at"], batch_size=BATCH_SIZE
            )
        if new:
            insert_rows(CaseTask, new)  # COPY on PostgreSQL, bulk_create elsewhere
    return counts


def recompute_lock():
    return single_run(
        advisory_key=ADVISORY_LOCK_KEY,
        cache_key=CACHE_LOCK_KEY,
        cache_seconds=CACHE_LOCK_SECONDS,
        locked_error=RecomputeLocked("another task recompute is running"),
    )


def tasks_recompute_all(
    *, today: dt.date, prison_code: str | None = None, chunk_size: int = CHUNK_SIZE, progress=None
) -> RecomputeCounts:
    """Recompute every case's tasks, prison by prison, ``chunk_size`` cases at a time. ``progress`` is called with
    the number of cases done after each chunk. Raises RecomputeLocked if another bulk run is going."""
    started = timezone.now()
    total = RecomputeCounts()
    timescales = timescales_current()
    with recompute_lock():
        prisons = Prison.objects.order_by("code").values_list("code", flat=True)
        if prison_code is not None:
            prisons = prisons.filter(code=prison_code)
        for code in list(prisons):
            numbers = list(
                Prisoner.objects.filter(prison_id=code).order_by("prison_number").values_list("pk", flat=True)
            )
            for start in range(0, len(numbers), chunk_size):
                chunk = numbers[start : start + chunk_size]
                total.add(tasks_recompute_for(chunk, today=today, timescales=timescales))
                if progress is not None:
                    progress(len(chunk))
            total.prisons.append(code)
    total.seconds = (timezone.now() - started).total_seconds()
    return total


def tasks_recompute_prison(prison_code: str, *, today: dt.date, chunk_size: int = CHUNK_SIZE) -> RecomputeCounts:
    """One prison's part of the fanned-out nightly run (``casework.tasks_recompute_prison``): its chunks, without the
    bulk run's lock, so the prisons run side by side on the workers; each chunk locks its cases as a single
    recompute does. Idempotent."""
    started = timezone.now()
    total = RecomputeCounts(prisons=[prison_code])
    timescales = timescales_current()
    numbers = list(
        Prisoner.objects.filter(prison_id=prison_code).order_by("prison_number").values_list("pk", flat=True)
    )
    for start in range(0, len(numbers), chunk_size):
        total.add(tasks_recompute_for(numbers[start : start + chunk_size], today=today, timescales=timescales))
    total.seconds = (timezone.now() - started).total_seconds()
    return total


def prisoner_count(*, prison_code: str | None = None) -> int:
    qs = Prisoner.objects.all()
    return qs.filter(prison_id=prison_code).count() if prison_code else qs.count()
