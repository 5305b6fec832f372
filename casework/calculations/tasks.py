"""The task engine: each case's tasks and due dates, derived from its facts (DECISIONS.md D-12, D-11, D-07).

Pure: plain facts in (``CaseFacts``), timescales in (``Timescales``, defaults per D-12, configurable), ``today`` in,
a list of ``TaskSpec`` out. Months and years are calendar steps with month-end clamping (D-02); hours are whole days
(48 hours is 2 days, 72 hours is 3 days), since tasks are due on a date.

Which tasks (omic-requirements.md 2.6, 2.7, 2.12, 2.13; WF-04, WF-09, WF-11, WF-12; reference section 1 "POM tasks"):
- Initial OASys: 10 weeks after the sentence start (determinate), 16 weeks (indeterminate), by the POM, for cases
  with full case management; 4 weeks by the COM for sentences of 10 months or less (D-04, D-11). None for the
  closed-estate low-RoSH cohort (no full OASys) or a recall (its sentence start is the original sentence's).
- OASys review every 2 years (determinate) / 3 years (indeterminate), counted from the initial OASys due date,
  while the POM is responsible (before the COM allocation date, else before release). The one most recently due and
  the next one are listed; older ones were either done or replaced by the next.
- Pre-handover OASys review: due on the COM allocation date (the handover start date) for enhanced handovers and
  care-experienced people under 25 (D-07; SL-4).
- LISP1: 1 week after the start of a life sentence (IPP and DPP are not life sentences).
- Early allocation screening: 10 weeks after the sentence start; review 18 months before the earliest release, when
  that is after the screening (D-12). Not for short sentences (the COM leads from the start) or recalls. An
  assessment of this sentence does the screening; one made inside the 18-month window does the review.
- Recall meeting: 48 hours after the return to custody; post-recall meeting: 10 days after it, for standard recalls.
- Youth transfer meeting: 72 hours after arriving from the youth estate.
- Handover meeting: 4 weeks after the COM is allocated (the recorded date, else the planned handover start), for
  enhanced handovers with full case management and, always, for care-experienced people under 25 (D-07).
- Reference POM tasks: record the date the parole outcome was received (from the target hearing date, once it has
  come) and record the community's decision on a discretionary early allocation referral. These are done when the
  date or decision is recorded (``done_on``).
"""

import datetime as dt
import functools
import math
from dataclasses import dataclass, replace

from dateutil.relativedelta import relativedelta

from casework.calculations.case_facts import CaseFacts
from casework.calculations.service_level import ServiceLevel, service_level

UNITS = ("hours", "days", "weeks", "months", "years")
CARE_EXPERIENCED_AGE_LIMIT = 25


DAYS_PER_UNIT = {"hours": 1 / 24, "days": 1, "weeks": 7, "months": 30.44, "years": 365.25}


@dataclass(frozen=True)
class Timescale:
    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}")
        if self.amount < 1:
            raise ValueError("amount must be at least 1")
        # Built once: calendar steps for months and years (relativedelta, clamped, D-02); plain days otherwise.
        if self.unit in ("months", "years"):
            step = relativedelta(**{self.unit: self.amount})
        elif self.unit == "hours":
            step = dt.timedelta(days=math.ceil(self.amount / 24))
        else:
            step = dt.timedelta(**{self.unit: self.amount})
        object.__setattr__(self, "_step", step)

    @property
    def step(self) -> relativedelta | dt.timedelta:
        return self._step

    @property
    def approximate_days(self) -> float:
        return self.amount * DAYS_PER_UNIT[self.unit]

    def after(self, day: dt.date, times: int = 1) -> dt.date:
        """``times`` steps after ``day``, each counted from ``day`` (so month-end clamping never accumulates)."""
        return _shift(self, day, times)

    def before(self, day: dt.date) -> dt.date:
        return _shift(self, day, -1)

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


@functools.lru_cache(maxsize=1 << 16)
def _shift(timescale: Timescale, day: dt.date, times: int) -> dt.date:
    # Pure and cached: a bulk run meets the same sentence dates many times, and relativedelta arithmetic is slow.
    return day + timescale.step * times


@dataclass(frozen=True)
class Timescales:
    """D-12 defaults. The service admin's changes are stored as rows and laid over these (``with_changes``)."""

    initial_oasys_determinate: Timescale = Timescale(10, "weeks")
    initial_oasys_indeterminate: Timescale = Timescale(16, "weeks")
    initial_oasys_short: Timescale = Timescale(4, "weeks")
    oasys_review_determinate: Timescale = Timescale(2, "years")
    oasys_review_indeterminate: Timescale = Timescale(3, "years")
    lisp1: Timescale = Timescale(1, "weeks")
    early_allocation_screening: Timescale = Timescale(10, "weeks")
    early_allocation_review: Timescale = Timescale(18, "months")
    recall_meeting: Timescale = Timescale(48, "hours")
    post_recall_meeting: Timescale = Timescale(10, "days")
    youth_transfer_meeting: Timescale = Timescale(72, "hours")
    handover_meeting: Timescale = Timescale(4, "weeks")

    def with_changes(self, changes: dict[str, tuple[int, str]]) -> "Timescales":
        return replace(self, **{key: Timescale(*value) for key, value in changes.items()})


DEFAULT_TIMESCALES = Timescales()
TIMESCALE_KEYS = tuple(Timescales.__dataclass_fields__)
TIMESCALE_LABELS = {
    "initial_oasys_determinate": "Initial OASys, determinate sentence: after the sentence start",
    "initial_oasys_indeterminate": "Initial OASys, indeterminate sentence: after the sentence start",
    "initial_oasys_short": "Initial OASys by the COM, 10 months or less: after the sentence start",
    "oasys_review_determinate": "OASys review, determinate sentence: every",
    "oasys_review_indeterminate": "OASys review, indeterminate sentence: every",
    "lisp1": "LISP1: after the start of a life sentence",
    "early_allocation_screening": "Early allocation screening: after the sentence start",
    "early_allocation_review": "Early allocation review: before the earliest release",
    "recall_meeting": "Recall meeting: after the return to custody",
    "post_recall_meeting": "Post-recall meeting (standard recall): after the return to custody",
    "youth_transfer_meeting": "Youth transfer meeting: after arriving from the youth estate",
    "handover_meeting": "Handover meeting: after the COM is allocated",
}


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    occurrence: str
    owner: str
    due_date: dt.date
    done_on: dt.date | None = None  # set when the facts show the task was done (a recorded date or decision)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.occurrence)


def _initial_oasys(facts: CaseFacts, level: ServiceLevel, t: Timescales) -> list[TaskSpec]:
    start = facts.sentence_start
    if level.code == "under_10_months":
        return [TaskSpec("initial_oasys", "", "com", t.initial_oasys_short.after(start))]
    if not level.full:
        return []
    timescale = t.initial_oasys_indeterminate if facts.is_indeterminate else t.initial_oasys_determinate
    return [TaskSpec("initial_oasys", "", "pom", timescale.after(start))]


def _oasys_reviews(facts: CaseFacts, level: ServiceLevel, t: Timescales, today: dt.date) -> list[TaskSpec]:
    if not level.full:
        return []
    initial = (t.initial_oasys_indeterminate if facts.is_indeterminate else t.initial_oasys_determinate).after(
        facts.sentence_start
    )
    every = t.oasys_review_indeterminate if facts.is_indeterminate else t.oasys_review_determinate
    stop = facts.com_allocation_due or facts.earliest_release
    earliest, latest = every.before(today), every.after(today)
    # Start a little before the first review that can be listed, rather than counting up from the sentence start.
    n = max(1, int((today - initial).days / every.approximate_days) - 2)
    reviews = []
    while True:
        due = every.after(initial, n)  # each date counted from the initial OASys, so clamping never accumulates
        if (stop is not None and due >= stop) or due > latest:
            break
        if due > earliest:
            reviews.append(TaskSpec("oasys_review", due.isoformat(), "pom", due))
        n += 1
    return reviews


def _under_25_on(facts: CaseFacts, day: dt.date) -> bool:
    age = facts.age_on(day)
    return age is None or age < CARE_EXPERIENCED_AGE_LIMIT  # an unknown age does not exclude (D-19 reading)


def _handover(facts: CaseFacts, level: ServiceLevel, t: Timescales) -> list[TaskSpec]:
    specs = []
    enhanced = facts.handover_type == "enhanced" and level.full
    if facts.com_allocation_due is not None:
        care = facts.care_experienced and _under_25_on(facts, facts.com_allocation_due)
        if enhanced or care:
            specs.append(TaskSpec("pre_handover_oasys", "", "pom", facts.com_allocation_due))
    allocated = facts.com_allocated_on or facts.com_allocation_due
    if allocated is not None:
        care = facts.care_experienced and _under_25_on(facts, allocated)
        if enhanced or care:
            specs.append(TaskSpec("handover_meeting", "", "pom", t.handover_meeting.after(allocated)))
    return specs


def _early_allocation(facts: CaseFacts, level: ServiceLevel, t: Timescales) -> list[TaskSpec]:
    """Screening is done by the first assessment of this sentence; the review by the first one made inside the
    18-month referral window (on the day each was made)."""
    if level.code == "under_10_months":
        return []
    made = sorted(a.requested_on for a in facts.early_allocations)
    in_window = sorted(a.requested_on for a in facts.early_allocations if a.in_referral_window)
    screening = t.early_allocation_screening.after(facts.sentence_start)
    specs = [TaskSpec("early_allocation_screening", "", "pom", screening, made[0] if made else None)]
    if facts.earliest_release is not None:
        review = t.early_allocation_review.before(facts.earliest_release)
        if review > screening:
            specs.append(TaskSpec("early_allocation_review", "", "pom", review, in_window[0] if in_window else None))
    return specs


def _recall(facts: CaseFacts, t: Timescales) -> list[TaskSpec]:
    returned = facts.returned_to_custody_on
    if not facts.is_recall or returned is None:
        return []
    occurrence = returned.isoformat()
    specs = [TaskSpec("recall_meeting", occurrence, "pom", t.recall_meeting.after(returned))]
    if facts.recall_type == "standard":
        specs.append(TaskSpec("post_recall_meeting", occurrence, "pom", t.post_recall_meeting.after(returned)))
    return specs


def _reference_pom_tasks(facts: CaseFacts, today: dt.date) -> list[TaskSpec]:
    specs = []
    for review in facts.parole_reviews:
        hearing = review.target_hearing_date
        if review.outcome_received_on is not None:
            due = hearing or review.outcome_received_on
            specs.append(
                TaskSpec("parole_outcome", f"review-{review.review_pk}", "pom", due, review.outcome_received_on)
            )
        elif hearing is not None and hearing <= today:
            specs.append(TaskSpec("parole_outcome", f"review-{review.review_pk}", "pom", hearing))
    for assessment in facts.early_allocations:
        if not assessment.asks_community:
            continue
        specs.append(
            TaskSpec(
                "community_decision",
                f"assessment-{assessment.assessment_pk}",
                "pom",
                assessment.requested_on,
                assessment.decision_date,
            )
        )
    return specs


def derive_tasks(facts: CaseFacts, *, today: dt.date, timescales: Timescales = DEFAULT_TIMESCALES) -> list[TaskSpec]:
    """Every task the case's facts call for, soonest due first. A case with no sentence gets only the tasks its own
    events call for (recall, youth transfer, parole, early allocation): remand and civil cases get tasks as required
    (D-13)."""
    level = service_level(facts, today=today)
    specs: list[TaskSpec] = []
    if facts.is_sentenced and not facts.is_recall:
        specs += _initial_oasys(facts, level, timescales)
        specs += _oasys_reviews(facts, level, timescales, today)
        specs += _early_allocation(facts, level, timescales)
        if facts.is_life_sentence:
            specs.append(TaskSpec("lisp1", "", "pom", timescales.lisp1.after(facts.sentence_start)))
    if facts.is_sentenced:
        specs += _handover(facts, level, timescales)
    specs += _recall(facts, timescales)
    if facts.youth_transfer_on is not None:
        specs.append(
            TaskSpec(
                "youth_transfer_meeting",
                facts.youth_transfer_on.isoformat(),
                "pom",
                timescales.youth_transfer_meeting.after(facts.youth_transfer_on),
            )
        )
    specs += _reference_pom_tasks(facts, today)
    return sorted(specs, key=lambda s: (s.due_date, s.kind, s.occurrence))
