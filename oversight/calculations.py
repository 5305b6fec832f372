"""Pure calculations for management oversight: the fair, repeatable monthly sample of a POM's cases and the scoring of
audits. No ORM, no clock: "today" and every input are passed in.

Why: the HOMD is to give assurance on the quality of case management (omic-requirements.md WF-19); the inspection
found management oversight effective in under a quarter of cases (4.1, F-15).
"""

import datetime as dt
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

# Points for each answer: yes is full marks, partly is half, no is none.
POINTS = {"yes": 2, "partly": 1, "no": 0}
ANSWERS = tuple(POINTS)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_back(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months before ``month`` (calendar months, DECISIONS.md D-02)."""
    return month_start(month) - relativedelta(months=count)


def parse_month(value: str) -> dt.date:
    """``YYYY-MM`` to the first day of that month; ValueError otherwise."""
    year, _, month = value.strip().partition("-")
    if len(year) != 4 or len(month) != 2 or not (year.isdigit() and month.isdigit()):
        raise ValueError(f"Not a month: {value!r}")
    return dt.date(int(year), int(month), 1)


def sample_cases(*, case_ids: Sequence[str], size: int, seed: str, recently_audited: Collection[str] = ()) -> list[str]:
    """A fair, repeatable sample of ``size`` of one POM's cases (all of them when there are fewer).

    Fair: each case not audited recently has the same chance, and a case audited recently is chosen only when there
    are not enough others, so over the months every case gets its turn. Repeatable: the same seed (prison, POM and
    month) and the same caseload give the same sample, so a retried monthly job draws the same cases. Sorted.
    """
    if size < 1:
        raise ValueError("The sample size is at least 1")
    ordered = sorted(set(case_ids))
    recent = set(recently_audited)
    fresh = [c for c in ordered if c not in recent]
    stale = [c for c in ordered if c in recent]
    rng = random.Random(seed)
    chosen = rng.sample(fresh, min(size, len(fresh)))
    if len(chosen) < size:
        chosen += rng.sample(stale, min(size - len(chosen), len(stale)))
    return sorted(chosen)


def audit_score(answers: Mapping[str, str]) -> int | None:
    """The audit's score out of 100 across the given answers (yes 2 points, partly 1, no 0); None if none given."""
    given = [POINTS[a] for a in answers.values() if a in POINTS]
    if not given:
        return None
    return round(100 * sum(given) / (2 * len(given)))


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class QuestionResult:
    name: str
    yes: int
    partly: int
    no: int

    @property
    def answered(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def yes_percent(self) -> int | None:
        return percent(self.yes, self.answered)

    @property
    def score(self) -> int | None:
        return percent(2 * self.yes + self.partly, 2 * self.answered)


def question_results(audits: Iterable[Mapping[str, str]], *, questions: Sequence[str]) -> list[QuestionResult]:
    """For each question, how many completed audits answered yes, partly and no."""
    counts = {q: dict.fromkeys(ANSWERS, 0) for q in questions}
    for answers in audits:
        for q in questions:
            if answers.get(q) in POINTS:
                counts[q][answers[q]] += 1
    return [QuestionResult(q, counts[q]["yes"], counts[q]["partly"], counts[q]["no"]) for q in questions]


def sum_results(rows: Iterable[Sequence[QuestionResult]]) -> list[QuestionResult]:
    """Add up per-question results (for example every POM's) into one per question, in the same order."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        for r in row:
            t = totals.setdefault(r.name, [0, 0, 0])
            t[0], t[1], t[2] = t[0] + r.yes, t[1] + r.partly, t[2] + r.no
    return [QuestionResult(name, *t) for name, t in totals.items()]


def action_status(*, due_date: dt.date, done: bool, today: dt.date) -> str:
    """``done``, ``overdue`` (past its due date and not done) or ``open``."""
    if done:
        return "done"
    return "overdue" if due_date < today else "open"
