"""Reads about the nightly handover sweep's runs, for the service admin's nightly jobs page."""

import datetime as dt
from dataclasses import dataclass

from handover.models import SweepRun, SweepRunPrison
from omic.schedules import schedule_for


def _resume_after() -> dt.timedelta:
    """How long after the nightly sweep starts its resume job queues what is not done: a run still going after that
    is unfinished (omic.schedules: 03:00 and 03:30)."""
    day = dt.date(2000, 1, 1)
    start, resume = schedule_for("handover.sweep").at, schedule_for("handover.sweep_resume").at
    return dt.datetime.combine(day, resume) - dt.datetime.combine(day, start)


RUNNING_FOR_AT_MOST = _resume_after()


@dataclass(frozen=True)
class SweepRunRow:
    run: SweepRun
    status: str  # "finished", "finished with errors", "running", "unfinished"
    took: dt.timedelta | None
    prisons_not_done: list[str]


def sweep_run_status(run: SweepRun, *, now: dt.datetime) -> str:
    """What the run's state asks of the service admin: nothing ("finished", "running"), a look at the worker log for
    the cases it could not calculate ("finished with errors"), or queuing its prisons again ("unfinished")."""
    if run.finished_at is not None:
        return "finished with errors" if run.errors else "finished"
    return "running" if now - run.started_at <= RUNNING_FOR_AT_MOST else "unfinished"


def sweep_run_recent_list(*, now: dt.datetime, limit: int = 14) -> list[SweepRunRow]:
    """The latest runs, newest first, each with its status and, while it is not finished, the prisons not done (a
    fanned-out run's progress is per prison). Two queries whatever the number of runs."""
    runs = list(SweepRun.objects.order_by("-started_at")[:limit])
    open_ids = [run.pk for run in runs if run.finished_at is None and run.fanout]
    not_done: dict[int, list[str]] = {pk: [] for pk in open_ids}
    if open_ids:
        rows = SweepRunPrison.objects.filter(run_id__in=open_ids, finished_at__isnull=True).order_by("prison_id")
        for run_id, code in rows.values_list("run_id", "prison_id"):
            not_done[run_id].append(code)
    return [
        SweepRunRow(
            run=run,
            status=sweep_run_status(run, now=now),
            took=run.finished_at - run.started_at if run.finished_at else None,
            prisons_not_done=not_done.get(run.pk, []),
        )
        for run in runs
    ]


def sweep_run_get(*, pk: int) -> SweepRun | None:
    return SweepRun.objects.filter(pk=pk).first()
