"""Pure key work rules: eligibility, capacity, the KPI formulas and the auto-allocation proposal.

No ORM, no settings, no clock: dates ("today", the period) are passed in and the inputs are plain data.

Sources: keywork-tier-reference.md 1.2 (capacity), 1.3 (auto-allocation), 1.6 (KPI formulas); DECISIONS.md D-14 (the
prison's key work standard), D-15 (the current formulas with two fixes: a key worker's allocation days are capped
at the end of the period, and a compliance rate of 0 is reported as 0, not blank) and D-16 (auto-allocation order).
"""

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

EXCLUDED_KEY_WORK_OFF = "Key work is not delivered at this prison"
EXCLUDED_HIGH_COMPLEXITY = "Assessed as high complexity of need: enhanced POM time instead of key work"
UNPLACED_NO_KEY_WORKERS = "No active key worker takes auto-allocation"
UNPLACED_ALL_FULL = "Every key worker who takes auto-allocation is at their maximum caseload"


# --- Eligibility and capacity (D-14, reference 1.2) -------------------------------------------------------------


def key_work_exclusion(*, key_work_enabled: bool, womens_complexity: str) -> str | None:
    """Why a prisoner gets no key work, or None when they are eligible. The reason is shown, never silent."""
    if not key_work_enabled:
        return EXCLUDED_KEY_WORK_OFF
    if womens_complexity == "high":
        return EXCLUDED_HIGH_COMPLEXITY
    return None


def key_worker_capacity(*, override: int | None, target_caseload: int) -> int:
    """A key worker's capacity: their own override, else the prison's target caseload."""
    return override if override is not None else target_caseload


def key_worker_maximum(*, override: int | None, target_caseload: int, maximum_caseload: int) -> int:
    """The most a key worker may hold: the prison maximum, scaled for a capacity override the way the legacy service
    scaled its "extended capacity" (capacity × maximum ÷ target, whole numbers), and never below the capacity."""
    if override is None:
        return maximum_caseload
    return max(override, override * maximum_caseload // target_caseload)


# --- Periods and the shared helpers (reference 1.6) ----------------------------------------------------------------


def period_days(start: dt.date, end: dt.date) -> int:
    """Days in a period counting both ends: ``days(from, to) = to − from + 1``."""
    if end < start:
        raise ValueError("A period ends on or after its start")
    return (end - start).days + 1


def week_start(today: dt.date) -> dt.date:
    """The Monday of ``today``'s week: key work weeks run Monday to Sunday here, as ``weekly_trend``'s do. (The legacy
    service keyed its weekly timeline to the Sunday, keywork-tier-reference.md 1.6; DECISIONS.md does not settle it.)"""
    return today - dt.timedelta(days=today.weekday())


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends the day before ``start``."""
    length = period_days(start, end)
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def percentage(numerator: int | None, denominator: int | None) -> Decimal | None:
    """``numerator / denominator × 100`` to 2 places (half-even). Blank (None) only when there is nothing to divide
    by; a numerator of 0 gives 0.00, not blank (D-15)."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_EVEN)


def mean_truncated(values: Iterable[int | None]) -> int | None:
    """The mean of the values that are not None, truncated to a whole number; None when there are none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return int(Fraction(sum(present), len(present)))


def projected_sessions(*, eligible: int | None, days: int, frequency_weeks: int) -> int:
    """Sessions a prison should deliver in a period: ``trunc(eligible × days / (7 × frequency))``, 0 with nobody
    eligible."""
    if not eligible:
        return 0
    return int(Fraction(eligible * days, 7 * frequency_weeks))


def average_minutes(*, total_minutes: int, sessions: int) -> int | None:
    """Average length of the sessions held, to the nearest minute (half up); None with no sessions."""
    if not sessions:
        return None
    return int(Fraction(total_minutes, sessions) + Fraction(1, 2))


# --- Prison figures for a period (reference 1.6 "Period summary") -----------------------------------------------


@dataclass(frozen=True)
class DailyFigures:
    """One day's snapshot, as the period summary reads it."""

    date: dt.date
    prisoners: int
    high_complexity: int
    eligible: int
    assigned: int
    active_key_workers: int
    reception_to_allocation_days: int | None = None
    reception_to_session_days: int | None = None


@dataclass(frozen=True)
class PrisonKpis:
    start: dt.date
    end: dt.date
    days: int
    prisoners: int | None
    high_complexity: int | None
    eligible: int | None
    assigned: int | None
    active_key_workers: int | None
    percentage_assigned: Decimal | None
    projected_sessions: int
    sessions: int
    entries: int
    compliance: Decimal | None
    average_session_minutes: int | None
    standard_session_minutes: int
    reception_to_allocation_days: int | None
    reception_to_session_days: int | None


def prison_kpis(
    *,
    start: dt.date,
    end: dt.date,
    daily: Sequence[DailyFigures],
    sessions: int,
    entries: int,
    session_minutes: int,
    frequency_weeks: int,
    standard_session_minutes: int,
) -> PrisonKpis:
    """A prison's key work figures for a period. Counts of people are the truncated mean of the daily snapshots
    (None with no snapshots); sessions and entries are those held in the period; projected sessions and the two
    percentages follow reference 1.6."""
    days = period_days(start, end)
    eligible = mean_truncated(d.eligible for d in daily)
    assigned = mean_truncated(d.assigned for d in daily)
    projected = projected_sessions(eligible=eligible, days=days, frequency_weeks=frequency_weeks)
    return PrisonKpis(
        start=start,
        end=end,
        days=days,
        prisoners=mean_truncated(d.prisoners for d in daily),
        high_complexity=mean_truncated(d.high_complexity for d in daily),
        eligible=eligible,
        assigned=assigned,
        active_key_workers=mean_truncated(d.active_key_workers for d in daily),
        percentage_assigned=percentage(assigned, eligible),
        projected_sessions=projected,
        sessions=sessions,
        entries=entries,
        compliance=percentage(sessions, projected),
        average_session_minutes=average_minutes(total_minutes=session_minutes, sessions=sessions),
        standard_session_minutes=standard_session_minutes,
        reception_to_allocation_days=mean_truncated(d.reception_to_allocation_days for d in daily),
        reception_to_session_days=mean_truncated(d.reception_to_session_days for d in daily),
    )


def reception_to_event_days(*, pairs: Iterable[tuple[dt.date | None, dt.date]], today: dt.date) -> int | None:
    """Truncated mean of days from eligibility (arrival) to an event (first allocation or first session), over the
    pairs where the event is on or after eligibility and eligibility is within the 6 months before ``today``."""
    window_start = today - relativedelta(months=6)
    gaps = [(event - eligible).days for eligible, event in pairs if eligible and window_start <= eligible <= event]
    return mean_truncated(gaps)


# --- Key worker figures for a period (reference 1.6 "Staff level", D-15) ------------------------------------------


@dataclass(frozen=True)
class AllocationSpan:
    allocated_on: dt.date
    ended_on: dt.date | None


def allocation_days(span: AllocationSpan, start: dt.date, end: dt.date) -> int:
    """Whole days of an allocation inside the period: from the later of allocation and the period start to the
    earlier of the end of the allocation and the period end (D-15 caps at the period end). 0 outside the period."""
    last = min(span.ended_on or end, end)
    first = max(span.allocated_on, start)
    return max(0, (last - first).days)


def overlaps(span: AllocationSpan, start: dt.date, end: dt.date) -> bool:
    """Reference 1.6: allocated before the period ends and not ended before it starts."""
    return span.allocated_on <= end and (span.ended_on is None or span.ended_on >= start)


def key_worker_projected_sessions(
    spans: Iterable[AllocationSpan], *, start: dt.date, end: dt.date, frequency_weeks: int
) -> int:
    """``Σ floor(days allocated / (7 × frequency) + 0.5)``: each allocation rounded half up on its own, then summed."""
    weeks = 7 * frequency_weeks
    return sum(int(Fraction(allocation_days(s, start, end), weeks) + Fraction(1, 2)) for s in spans)


def key_worker_compliance(*, recorded: int, projected: int) -> Decimal:
    """Sessions recorded ÷ projected × 100 to 2 places (half-even); 0.00 when either is 0 (reference 1.6)."""
    if not recorded or not projected:
        return Decimal("0.00")
    return percentage(recorded, projected)


# --- Auto-allocation proposal (D-16) --------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateKeyWorker:
    id: int
    name: str
    capacity: int
    maximum: int
    allocated: int
    last_auto_allocated_at: dt.datetime | None = None


@dataclass(frozen=True)
class CandidatePrisoner:
    prison_number: str
    last_name: str
    first_name: str
    # Key workers this prisoner had at this prison, most recent first.
    previous_key_worker_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Placement:
    prison_number: str
    key_worker_id: int
    continuity: bool


@dataclass(frozen=True)
class Unplaced:
    prison_number: str
    reason: str


@dataclass
class Proposal:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    # key worker id -> (allocated before, allocated after)
    caseloads: dict[int, tuple[int, int]] = field(default_factory=dict)


def propose_auto_allocation(
    *, prisoners: Iterable[CandidatePrisoner], key_workers: Iterable[CandidateKeyWorker]
) -> Proposal:
    """Propose a key worker for each prisoner (D-16), saving nothing.

    Prisoners are taken by last name, first name, prison number. A prisoner's most recent previous key worker at
    this prison who is still a candidate is proposed while under their maximum (continuity). Otherwise the least
    loaded key worker (allocated ÷ capacity) is proposed, then the least recently auto-allocated (never first), then
    the lowest staff id; nobody goes over their maximum. Each proposal counts as that key worker's latest
    auto-allocation for the ones after it.
    """
    workers = {kw.id: kw for kw in key_workers}
    counts = {kw.id: kw.allocated for kw in workers.values()}
    # Recency key: never auto-allocated (0, …) before an earlier time (1, time) before a pick in this proposal (2, n).
    recency: dict[int, tuple] = {
        kw.id: (0, 0) if kw.last_auto_allocated_at is None else (1, kw.last_auto_allocated_at.timestamp())
        for kw in workers.values()
    }
    versions = dict.fromkeys(workers, 0)

    def entry(kw_id: int) -> tuple:
        return (Fraction(counts[kw_id], workers[kw_id].capacity), recency[kw_id], kw_id, versions[kw_id])

    heap = [entry(kw_id) for kw_id in workers if counts[kw_id] < workers[kw_id].maximum]
    heapq.heapify(heap)
    proposal = Proposal()
    ordered = sorted(prisoners, key=lambda p: (p.last_name.casefold(), p.first_name.casefold(), p.prison_number))
    for n, prisoner in enumerate(ordered):
        chosen = next(
            (
                kw_id
                for kw_id in prisoner.previous_key_worker_ids
                if kw_id in workers and counts[kw_id] < workers[kw_id].maximum
            ),
            None,
        )
        continuity = chosen is not None
        while chosen is None and heap:
            *_, kw_id, version = heapq.heappop(heap)
            if version == versions[kw_id] and counts[kw_id] < workers[kw_id].maximum:
                chosen = kw_id
        if chosen is None:
            reason = UNPLACED_NO_KEY_WORKERS if not workers else UNPLACED_ALL_FULL
            proposal.unplaced.append(Unplaced(prisoner.prison_number, reason))
            continue
        counts[chosen] += 1
        recency[chosen] = (2, n)
        versions[chosen] += 1
        if counts[chosen] < workers[chosen].maximum:
            heapq.heappush(heap, entry(chosen))
        proposal.placements.append(Placement(prisoner.prison_number, chosen, continuity))
    proposal.caseloads = {kw_id: (workers[kw_id].allocated, counts[kw_id]) for kw_id in workers}
    return proposal


# --- Weekly trend for the dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    week_start: dt.date
    week_end: dt.date
    projected_sessions: int
    sessions: int
    compliance: Decimal | None


def weekly_trend(
    *,
    start: dt.date,
    end: dt.date,
    daily: Sequence[DailyFigures],
    sessions_by_day: dict[dt.date, int],
    frequency_weeks: int,
) -> list[WeekFigures]:
    """The period cut into weeks (Monday to Sunday, clipped to the period), each with its projected sessions (the
    period formula applied to the week's own snapshots and days), sessions held and compliance."""
    weeks = []
    monday = start - dt.timedelta(days=start.weekday())
    by_day = {d.date: d for d in daily}
    while monday <= end:
        first, last = max(monday, start), min(monday + dt.timedelta(days=6), end)
        days = period_days(first, last)
        in_week = [by_day[first + dt.timedelta(days=i)] for i in range(days) if first + dt.timedelta(days=i) in by_day]
        eligible = mean_truncated(d.eligible for d in in_week)
        projected = projected_sessions(eligible=eligible, days=days, frequency_weeks=frequency_weeks)
        held = sum(sessions_by_day.get(first + dt.timedelta(days=i), 0) for i in range(days))
        weeks.append(WeekFigures(first, last, projected, held, percentage(held, projected)))
        monday += dt.timedelta(days=7)
    return weeks
