"""Key work KPI reads (keywork-tier-reference.md 1.6, DECISIONS.md D-15): a prison's figures for a period with the
previous period alongside, each key worker's figures, and the weekly trend.

Counts of people and of sessions come from the daily snapshots (``PrisonKeyworkDailyStat``), so a past period is
reported without being recomputed; days without a snapshot (today, or a day the job missed) are worked out live.
The nightly job also refreshes the last week's session counts, so sessions recorded a few days late are counted.
A key worker's figures are counted from the sessions (the reference's rule needs the allocation of each session).
"""

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from cases.models import Prison, Prisoner
from keywork import calculations as calc
from keywork.models import KeyworkAllocation, KeyworkConfiguration, KeyworkSession, PrisonKeyworkDailyStat, SessionType
from keywork.recording_calculations import month_start
from keywork.selectors import (
    HIGH_COMPLEXITY,
    active_key_worker_count,
    configuration_for_prison,
    key_worker_list_for_prison,
)

_SESSION = {"session_type": SessionType.SESSION}


def daily_figures(*, prison: Prison, day: dt.date, config: KeyworkConfiguration) -> calc.DailyFigures:
    """A prison's key work figures at the end of ``day``, worked out from the records as they are now."""
    people = Prisoner.objects.filter(prison=prison).aggregate(
        prisoners=Count("pk"), high=Count("pk", filter=HIGH_COMPLEXITY)
    )
    eligible = people["prisoners"] - people["high"] if config.is_enabled else 0
    active_on_day = Q(allocated_at__date__lte=day) & (Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
    assigned = 0
    if config.is_enabled:
        assigned = (
            KeyworkAllocation.objects.filter(active_on_day, prison=prison, prisoner__prison=prison)
            .exclude(prisoner__case_information__womens_complexity="high")
            .count()
        )
    on_day = KeyworkAllocation.objects.filter(prison=prison, prisoner__prison=prison, allocated_at__date=day)
    allocated_today = set(on_day.values_list("prisoner_id", flat=True))
    earlier_allocations = set(
        KeyworkAllocation.objects.filter(prison=prison, prisoner__in=allocated_today, allocated_at__date__lt=day)
        .values_list("prisoner_id", flat=True)
        .distinct()
    )
    seen_today = set(
        KeyworkSession.objects.filter(prison=prison, prisoner__prison=prison, session_date=day, **_SESSION)
        .values_list("prisoner_id", flat=True)
        .distinct()
    )
    last_before = dict(
        KeyworkSession.objects.filter(prison=prison, prisoner__in=seen_today, session_date__lt=day, **_SESSION)
        .values("prisoner_id")
        .annotate(last=Max("session_date"))
        .values_list("prisoner_id", "last")
    )
    arrivals = dict(
        Prisoner.objects.filter(pk__in=allocated_today | seen_today).values_list("pk", "prison_arrival_date")
    )
    allocation_pairs = [(arrivals[n], day) for n in allocated_today - earlier_allocations]
    session_pairs = [
        (arrivals[n], day)
        for n in seen_today
        if arrivals[n] is not None and (last_before.get(n) is None or last_before[n] < arrivals[n])
    ]
    active_key_workers = active_key_worker_count(prison=prison)
    return calc.DailyFigures(
        date=day,
        prisoners=people["prisoners"],
        high_complexity=people["high"],
        eligible=eligible,
        assigned=min(assigned, eligible),
        active_key_workers=active_key_workers,
        reception_to_allocation_days=calc.reception_to_event_days(pairs=allocation_pairs, today=day),
        reception_to_session_days=calc.reception_to_event_days(pairs=session_pairs, today=day),
    )


def _daily_from_snapshots(
    *, prison: Prison, start: dt.date, end: dt.date
) -> tuple[list[calc.DailyFigures], dict[dt.date, tuple[int, int, int]]]:
    """The snapshots' daily figures, and their (sessions, entries, minutes) by day."""
    rows = PrisonKeyworkDailyStat.objects.filter(prison=prison, date__gte=start, date__lte=end).values_list(
        "date",
        "prisoner_count",
        "high_complexity_count",
        "eligible_count",
        "assigned_count",
        "active_key_worker_count",
        "reception_to_allocation_days",
        "reception_to_session_days",
        "session_count",
        "entry_count",
        "session_minutes",
    )
    return [calc.DailyFigures(*row[:8]) for row in rows], {row[0]: row[8:] for row in rows}


def _missing_spans(start: dt.date, end: dt.date, covered) -> list[tuple[dt.date, dt.date]]:
    """The runs of days in [start, end] that are not in ``covered``."""
    spans, day, first = [], start, None
    while day <= end:
        if day not in covered and first is None:
            first = day
        if day in covered and first is not None:
            spans.append((first, day - dt.timedelta(days=1)))
            first = None
        day += dt.timedelta(days=1)
    if first is not None:
        spans.append((first, end))
    return spans


def _session_counts(*, prison: Prison, start: dt.date, end: dt.date, snapshot_counts: dict) -> dict:
    """(sessions, entries, minutes) for each day of [start, end]: from the snapshots where there is one (a past
    period is not recomputed), counted from the sessions for the days without (today, or a day never snapshotted)."""
    counts = {day: tuple(values) for day, values in snapshot_counts.items()}
    spans = _missing_spans(start, end, counts)
    if spans:
        where = Q()
        for first, last in spans:
            where |= Q(session_date__gte=first, session_date__lte=last)
        rows = (
            KeyworkSession.objects.filter(where, prison=prison)
            .values_list("session_date", "session_type")
            .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        )
        for day, kind, n, minutes in rows:
            sessions, entries, total = counts.get(day, (0, 0, 0))
            if kind == SessionType.SESSION:
                counts[day] = (sessions + n, entries, total + (minutes or 0))
            elif kind == SessionType.ENTRY:
                counts[day] = (sessions, entries + n, total)
    return counts


@dataclass(frozen=True)
class PrisonKpiReport:
    prison: Prison
    config: KeyworkConfiguration
    current: calc.PrisonKpis
    previous: calc.PrisonKpis
    weeks: list[calc.WeekFigures]
    live_today: bool


def prison_kpi_report(
    *,
    prison: Prison,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    config: KeyworkConfiguration | None = None,
    live: Callable[[], calc.DailyFigures] | None = None,
) -> PrisonKpiReport:
    """The prison's KPIs for [start, end] and the previous period of the same length, and the weekly trend.

    ``live`` gives today's figures when no snapshot has them yet (default: ``daily_figures`` for today); callers that
    report several periods ending today pass one memoised function, so today is worked out once."""
    config = config or configuration_for_prison(prison=prison)
    prev_start, prev_end = calc.previous_period(start, end)
    daily, snapshot_counts = _daily_from_snapshots(prison=prison, start=prev_start, end=end)
    live_today = start <= today <= end and not any(d.date == today for d in daily)
    if live_today:
        daily.append(live() if live is not None else daily_figures(prison=prison, day=today, config=config))
    counts = _session_counts(prison=prison, start=prev_start, end=end, snapshot_counts=snapshot_counts)
    totals = dict.fromkeys(("sessions", "entries", "minutes", "prev_sessions", "prev_entries", "prev_minutes"), 0)
    by_day: dict[dt.date, int] = {}
    for day, (sessions, entries, minutes) in counts.items():
        prefix = "" if day >= start else "prev_"
        totals[f"{prefix}sessions"] += sessions
        totals[f"{prefix}entries"] += entries
        totals[f"{prefix}minutes"] += minutes
        if not prefix:
            by_day[day] = sessions
    current_daily = [d for d in daily if d.date >= start]
    previous_daily = [d for d in daily if d.date < start]
    common = {"frequency_weeks": config.frequency_weeks, "standard_session_minutes": config.session_minutes}
    current = calc.prison_kpis(
        start=start,
        end=end,
        daily=current_daily,
        sessions=totals["sessions"],
        entries=totals["entries"],
        session_minutes=totals["minutes"],
        **common,
    )
    previous = calc.prison_kpis(
        start=prev_start,
        end=prev_end,
        daily=previous_daily,
        sessions=totals["prev_sessions"],
        entries=totals["prev_entries"],
        session_minutes=totals["prev_minutes"],
        **common,
    )
    weeks = calc.weekly_trend(
        start=start,
        end=end,
        daily=current_daily,
        sessions_by_day=by_day,
        frequency_weeks=config.frequency_weeks,
    )
    return PrisonKpiReport(prison, config, current, previous, weeks, live_today)


def prison_kpis_this_week_and_month(
    *, prison: Prison, today: dt.date, config: KeyworkConfiguration | None = None
) -> tuple[calc.PrisonKpis, calc.PrisonKpis]:
    """The prison's KPIs for this week and this month to date (the HOMD dashboard's tiles, the home page's figures),
    with the prison's standard read and today's live figures worked out once for both."""
    config = config or configuration_for_prison(prison=prison)
    live = functools.cache(lambda: daily_figures(prison=prison, day=today, config=config))
    week, month = (
        prison_kpi_report(prison=prison, start=start, end=today, today=today, config=config, live=live).current
        for start in (calc.week_start(today), month_start(today))
    )
    return week, month


@dataclass(frozen=True)
class KeyWorkerKpis:
    user_id: int
    name: str
    status: str
    allocated_now: int
    capacity: int
    allocations: int
    projected_sessions: int
    sessions: int
    entries: int
    compliance: Decimal


def key_worker_kpis(
    *, prison: Prison, start: dt.date, end: dt.date, config: KeyworkConfiguration | None = None
) -> list[KeyWorkerKpis]:
    """Each key worker's figures for the period (reference 1.6 "Staff level" with the D-15 fixes): allocations
    that overlap it, projected sessions, sessions recorded with the prisoners allocated to them, and compliance."""
    config = config or configuration_for_prison(prison=prison)
    spans: dict[int, list[calc.AllocationSpan]] = {}
    overlapping = (
        KeyworkAllocation.objects.filter(prison=prison, allocated_at__date__lte=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=start))
        .values_list("key_worker__user_id", "prisoner_id", "allocated_at", "ended_at")
    )
    tz = timezone.get_current_timezone()
    allocated_pairs: set[tuple[int, str]] = set()
    for user_id, number, allocated_at, ended_at in overlapping:
        allocated_pairs.add((user_id, number))
        span = calc.AllocationSpan(
            allocated_at.astimezone(tz).date(), ended_at.astimezone(tz).date() if ended_at else None
        )
        spans.setdefault(user_id, []).append(span)
    # Reference 1.6 (MIA-812): a session counts for a key worker only with a prisoner allocated to them at some
    # point in the period.
    # Reference 1.6 (MIA-812): a session counts for a key worker only with a prisoner allocated to them at some
    # point in the period. Grouped by key worker and prisoner (a few thousand rows at most), matched here.
    recorded_counts: dict[int, int] = {}
    entry_counts: dict[int, int] = {}
    grouped = (
        KeyworkSession.objects.filter(prison=prison, session_date__gte=start, session_date__lte=end)
        .values_list("key_worker_id", "prisoner_id", "session_type")
        .annotate(n=Count("pk"))
    )
    for user_id, number, kind, n in grouped:
        if kind == SessionType.SESSION and (user_id, number) in allocated_pairs:
            recorded_counts[user_id] = recorded_counts.get(user_id, 0) + n
        elif kind == SessionType.ENTRY:
            entry_counts[user_id] = entry_counts.get(user_id, 0) + n
    result = []
    for row in key_worker_list_for_prison(prison=prison, config=config):
        projected = calc.key_worker_projected_sessions(
            spans.get(row.id, []), start=start, end=end, frequency_weeks=config.frequency_weeks
        )
        recorded, entries = recorded_counts.get(row.id, 0), entry_counts.get(row.id, 0)
        result.append(
            KeyWorkerKpis(
                user_id=row.id,
                name=row.list_name,
                status=row.status_label,
                allocated_now=row.allocated,
                capacity=row.capacity,
                allocations=len(spans.get(row.id, [])),
                projected_sessions=projected,
                sessions=recorded,
                entries=entries,
                compliance=calc.key_worker_compliance(recorded=recorded, projected=projected),
            )
        )
    return result
