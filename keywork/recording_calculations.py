"""Pure key work recording rules: when a prisoner's next session is due, whether it is overdue, and the monthly
quality-check sample. No ORM, no settings, no clock: "today" is always passed in.

Policy: a key work session every week, or every two weeks where the prison runs 90-minute fortnightly sessions
(omic-requirements 2.8 KW-2, KW-3; DECISIONS.md D-14: the frequency in weeks is per prison). Entries and attempted
sessions are recorded but do not count as a session delivered (keywork-tier-reference 1.5: a session is KS, an entry
is KE; the KPIs count sessions only).
"""

import datetime as dt
import enum
import random
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


class DueStatus(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_THIS_WEEK = "due_this_week"
    NOT_DUE = "not_due"


DUE_STATUS_LABELS = {
    DueStatus.OVERDUE: "Overdue",
    DueStatus.DUE_THIS_WEEK: "Due this week",
    DueStatus.NOT_DUE: "Not due yet",
}


@dataclass(frozen=True)
class SessionDue:
    """When the next session is due and where that leaves the prisoner today."""

    due_date: dt.date
    status: DueStatus
    days_overdue: int

    @property
    def label(self) -> str:
        return DUE_STATUS_LABELS[self.status]


def week_end(day: dt.date) -> dt.date:
    """The Sunday that ends the week (Monday to Sunday) containing ``day``."""
    return day + dt.timedelta(days=6 - day.weekday())


def next_session_due(*, last_session: dt.date | None, allocated_on: dt.date, frequency_weeks: int) -> dt.date:
    """The date the next session is due: ``frequency_weeks`` weeks after the last session delivered, or after the
    allocation when the key worker has not yet held a session with this prisoner (a session before the allocation,
    with an earlier key worker, does not restart the new key worker's clock)."""
    if frequency_weeks < 1:
        raise ValueError("The session frequency is at least 1 week")
    start = last_session if last_session is not None and last_session >= allocated_on else allocated_on
    return start + dt.timedelta(weeks=frequency_weeks)


def session_due(
    *, last_session: dt.date | None, allocated_on: dt.date, frequency_weeks: int, today: dt.date
) -> SessionDue:
    """Where a prisoner stands today: overdue once the due date has passed (a session on the due date itself is on
    time), due this week when the due date falls between today and Sunday, otherwise not due yet."""
    due = next_session_due(last_session=last_session, allocated_on=allocated_on, frequency_weeks=frequency_weeks)
    if due < today:
        return SessionDue(due_date=due, status=DueStatus.OVERDUE, days_overdue=(today - due).days)
    if due <= week_end(today):
        return SessionDue(due_date=due, status=DueStatus.DUE_THIS_WEEK, days_overdue=0)
    return SessionDue(due_date=due, status=DueStatus.NOT_DUE, days_overdue=0)


def parse_month(value: str) -> dt.date:
    """``YYYY-MM`` as the first day of that month; ValueError if it is not one."""
    year, _, month = value.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(f"Not a month: {value!r}")
    return dt.date(int(year), int(month), 1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before the one containing ``today``: the month a draw on ``today`` samples."""
    return month_start(today) - relativedelta(months=1)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the month starting on ``month`` (relativedelta clamps to the month's end)."""
    first = month_start(month)
    return first, first + relativedelta(months=1) - dt.timedelta(days=1)


def quality_sample(*, entry_ids: Sequence[int], size: int, seed: str) -> list[int]:
    """A random sample of ``size`` of a key worker's entries for a month (all of them when there are fewer).

    The draw is random but repeatable for the same seed (the prison, key worker and month), so a retried monthly job
    draws the same sample. The result is sorted so it reads in the order the entries were made.
    """
    if size < 1:
        raise ValueError("The sample size is at least 1")
    ordered = sorted(set(entry_ids))
    if len(ordered) <= size:
        return ordered
    return sorted(random.Random(seed).sample(ordered, size))
