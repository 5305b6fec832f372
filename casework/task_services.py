"""Writes about case tasks: a POM or HOMD marks a task done or not needed; a service admin changes a timescale.

Each write is atomic and audited (``audit_record``). A task that is already done or not needed is not changed again
(a clear error, never a half-write). Changing a timescale recomputes every case's open tasks after the commit.
"""

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.audit import audit_record
from casework.calculations.tasks import TIMESCALE_KEYS, UNITS, Timescale
from casework.models import CaseTask, TaskStatus, TaskTimescale

__all__ = ["task_mark_done", "task_mark_not_needed", "task_recompute_queue", "timescale_update"]

REASON_MAX = 500


def _open_task(task_id: int) -> CaseTask:
    task = CaseTask.objects.select_for_update().select_related("prisoner").get(pk=task_id)
    if task.status != TaskStatus.DUE:
        raise ValidationError({"__all__": f"This task is already {task.get_status_display().lower()}."})
    return task


def _values(task: CaseTask) -> dict:
    return {
        "kind": task.kind,
        "occurrence": task.occurrence,
        "due_date": task.due_date,
        "status": task.status,
        "completed_on": task.completed_on,
        "completed_by": task.completed_by_id,
        "not_needed_reason": task.not_needed_reason,
    }


@transaction.atomic
def task_mark_done(*, task: CaseTask, user, completed_on: dt.date, today: dt.date) -> CaseTask:
    """Mark an open task done on ``completed_on`` (not in the future) by ``user``."""
    if completed_on is None:
        raise ValidationError({"completed_on": "Enter the date the task was done."})
    if completed_on > today:
        raise ValidationError({"completed_on": "The date the task was done must be today or in the past."})
    task = _open_task(task.pk)
    before = _values(task)
    task.status, task.completed_on, task.completed_by = TaskStatus.DONE, completed_on, user
    task.save(update_fields=["status", "completed_on", "completed_by", "updated_at"])
    audit_record(
        action="case_task_done", obj=task, before=before, after=_values(task), actor=user, prisoner=task.prisoner
    )
    return task


@transaction.atomic
def task_mark_not_needed(*, task: CaseTask, user, reason: str) -> CaseTask:
    """Mark an open task not needed, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the task is not needed."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX} characters or fewer."})
    task = _open_task(task.pk)
    before = _values(task)
    task.status, task.not_needed_reason, task.completed_by = TaskStatus.NOT_NEEDED, reason, user
    task.save(update_fields=["status", "not_needed_reason", "completed_by", "updated_at"])
    audit_record(
        action="case_task_not_needed",
        obj=task,
        before=before,
        after=_values(task),
        actor=user,
        reason=reason,
        prisoner=task.prisoner,
    )
    return task


def task_recompute_queue(prison_numbers=None) -> None:
    """Queue a recompute: of these cases, or of every case (None)."""
    from casework.task_jobs import tasks_recompute, tasks_recompute_case
    from omic.queueing import enqueue

    if prison_numbers is None:
        enqueue(tasks_recompute)
    else:
        for number in prison_numbers:
            enqueue(tasks_recompute_case, (number,))


@transaction.atomic
def timescale_update(*, key: str, amount: int, unit: str, user) -> TaskTimescale:
    """Change one timescale (D-12); every case's open tasks are recomputed after the commit."""
    if key not in TIMESCALE_KEYS:
        raise ValidationError({"key": "Choose a timescale."})
    if unit not in UNITS:
        raise ValidationError({"unit": "Choose hours, days, weeks, months or years."})
    if amount is None or amount < 1 or amount > 999:
        raise ValidationError({"amount": "Enter a whole number from 1 to 999."})
    Timescale(amount, unit)
    row = TaskTimescale.objects.select_for_update().filter(pk=key).first()
    before = {"amount": row.amount, "unit": row.unit} if row else None
    row = row or TaskTimescale(key=key)
    row.amount, row.unit, row.updated_by = amount, unit, user
    row.save()
    audit_record(
        action="task_timescale_changed", obj=row, before=before, after={"amount": amount, "unit": unit}, actor=user
    )
    transaction.on_commit(partial(task_recompute_queue, None), robust=True)
    return row
