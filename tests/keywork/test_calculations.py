"""The pure key work rules, checked against hand-worked cases and the reference's own example."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keywork import calculations as calc
from keywork.calculations import AllocationSpan, CandidateKeyWorker, CandidatePrisoner, DailyFigures

D = dt.date


def _daily(start, days, *, eligible, assigned, prisoners=None):
    return [
        DailyFigures(
            date=start + dt.timedelta(days=i),
            prisoners=prisoners or eligible,
            high_complexity=0,
            eligible=eligible,
            assigned=assigned,
            active_key_workers=10,
        )
        for i in range(days)
    ]


class TestReferenceExample:
    """keywork-tier-reference.md 1.6, PrisonStatsIntTest: a 9-day period, frequency 2."""

    def test_current_period(self):
        start, end = D(2026, 3, 1), D(2026, 3, 9)
        kpis = calc.prison_kpis(
            start=start,
            end=end,
            daily=_daily(start, 9, eligible=80, assigned=75),
            sessions=43,
            entries=5,
            session_minutes=43 * 45,
            frequency_weeks=2,
            standard_session_minutes=45,
        )
        assert kpis.days == 9
        assert kpis.projected_sessions == 51  # trunc(80 × 9 / 14) = trunc(51.43)
        assert kpis.percentage_assigned == Decimal("93.75")
        assert kpis.compliance == Decimal("84.31")  # 43 / 51 = 84.3137…
        assert kpis.average_session_minutes == 45

    def test_comparison_period(self):
        start, end = calc.previous_period(D(2026, 3, 1), D(2026, 3, 9))
        assert (start, end) == (D(2026, 2, 20), D(2026, 2, 28))
        kpis = calc.prison_kpis(
            start=start,
            end=end,
            daily=_daily(start, 9, eligible=72, assigned=65),
            sessions=44,
            entries=0,
            session_minutes=0,
            frequency_weeks=2,
            standard_session_minutes=45,
        )
        assert (kpis.projected_sessions, kpis.percentage_assigned, kpis.compliance) == (
            46,
            Decimal("90.28"),
            Decimal("95.65"),
        )


def test_counts_are_the_truncated_mean_of_the_daily_snapshots():
    start = D(2026, 1, 1)
    daily = _daily(start, 2, eligible=10, assigned=5)[:1] + _daily(start, 2, eligible=13, assigned=6)[1:]
    kpis = calc.prison_kpis(
        start=start,
        end=D(2026, 1, 7),
        daily=daily,
        sessions=0,
        entries=0,
        session_minutes=0,
        frequency_weeks=1,
        standard_session_minutes=45,
    )
    assert kpis.eligible == 11  # mean 11.5, truncated
    assert kpis.assigned == 5  # mean 5.5, truncated
    assert kpis.projected_sessions == 11  # 11 × 7 / 7
    # D-15: a compliance of 0 is reported as 0, not blank.
    assert kpis.compliance == Decimal("0.00")
    assert kpis.average_session_minutes is None


def test_no_snapshots_gives_blank_counts_and_no_projection():
    kpis = calc.prison_kpis(
        start=D(2026, 1, 1),
        end=D(2026, 1, 1),
        daily=[],
        sessions=3,
        entries=0,
        session_minutes=100,
        frequency_weeks=1,
        standard_session_minutes=45,
    )
    assert kpis.eligible is None
    assert kpis.projected_sessions == 0
    assert kpis.percentage_assigned is None
    assert kpis.compliance is None  # nothing to divide by
    assert kpis.average_session_minutes == 33  # 100 / 3 = 33.3


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(0, 10, Decimal("0.00")), (1, 8, Decimal("12.50")), (1, 3, Decimal("33.33")), (2, 0, None), (2, None, None)],
)
def test_percentage(numerator, denominator, expected):
    assert calc.percentage(numerator, denominator) == expected


def test_percentage_rounds_half_even():
    # 1/800 × 100 = 0.125 → 0.12 (half-even); 3/800 × 100 = 0.375 → 0.38
    assert calc.percentage(1, 800) == Decimal("0.12")
    assert calc.percentage(3, 800) == Decimal("0.38")


def test_period_days_counts_both_ends():
    assert calc.period_days(D(2026, 1, 1), D(2026, 1, 1)) == 1
    assert calc.period_days(D(2026, 1, 1), D(2026, 12, 31)) == 365
    with pytest.raises(ValueError, match="ends on or after"):
        calc.period_days(D(2026, 1, 2), D(2026, 1, 1))


class TestKeyWorkerFigures:
    start, end = D(2026, 3, 1), D(2026, 3, 28)

    def test_whole_period_allocation(self):
        span = AllocationSpan(D(2026, 1, 1), None)
        assert calc.allocation_days(span, self.start, self.end) == 27
        # 27 / 7 = 3.86 → round half up → 4
        assert calc.key_worker_projected_sessions([span], start=self.start, end=self.end, frequency_weeks=1) == 4

    def test_allocation_days_are_capped_at_the_period_end(self):
        # D-15: an allocation that ended after the period counts only to the period end.
        span = AllocationSpan(D(2026, 3, 15), D(2026, 5, 30))
        assert calc.allocation_days(span, self.start, self.end) == 13

    def test_each_allocation_rounds_half_up_on_its_own(self):
        spans = [AllocationSpan(D(2026, 3, 1), D(2026, 3, 5)), AllocationSpan(D(2026, 3, 10), D(2026, 3, 14))]
        # 4 days / 7 = 0.57 → 1 each, so 2 (summing the days first would give 8 / 7 → 1)
        assert calc.key_worker_projected_sessions(spans, start=self.start, end=self.end, frequency_weeks=1) == 2
        assert calc.key_worker_projected_sessions(spans, start=self.start, end=self.end, frequency_weeks=2) == 0

    def test_outside_the_period_counts_nothing(self):
        assert calc.allocation_days(AllocationSpan(D(2026, 1, 1), D(2026, 2, 1)), self.start, self.end) == 0
        assert not calc.overlaps(AllocationSpan(D(2026, 1, 1), D(2026, 2, 1)), self.start, self.end)
        assert calc.overlaps(AllocationSpan(D(2026, 1, 1), D(2026, 3, 1)), self.start, self.end)

    @pytest.mark.parametrize(
        ("recorded", "projected", "expected"),
        [(3, 4, Decimal("75.00")), (0, 4, Decimal("0.00")), (3, 0, Decimal("0.00")), (5, 4, Decimal("125.00"))],
    )
    def test_compliance(self, recorded, projected, expected):
        assert calc.key_worker_compliance(recorded=recorded, projected=projected) == expected


def test_reception_to_event_days():
    today = D(2026, 6, 30)
    pairs = [
        (D(2026, 6, 1), D(2026, 6, 11)),  # 10
        (D(2026, 6, 20), D(2026, 6, 23)),  # 3
        (D(2025, 6, 1), D(2026, 6, 23)),  # arrived more than 6 months ago: left out
        (D(2026, 6, 25), D(2026, 6, 23)),  # event before arrival: left out
        (None, D(2026, 6, 23)),  # arrival not known: left out
    ]
    assert calc.reception_to_event_days(pairs=pairs, today=today) == 6  # mean 6.5, truncated
    assert calc.reception_to_event_days(pairs=[], today=today) is None


def test_exclusions_are_named():
    assert calc.key_work_exclusion(key_work_enabled=True, womens_complexity="") is None
    assert calc.key_work_exclusion(key_work_enabled=True, womens_complexity="medium") is None
    assert calc.key_work_exclusion(key_work_enabled=True, womens_complexity="high") == calc.EXCLUDED_HIGH_COMPLEXITY
    assert calc.key_work_exclusion(key_work_enabled=False, womens_complexity="") == calc.EXCLUDED_KEY_WORK_OFF


def test_capacity_and_maximum():
    assert calc.key_worker_capacity(override=None, target_caseload=6) == 6
    assert calc.key_worker_capacity(override=4, target_caseload=6) == 4
    assert calc.key_worker_maximum(override=None, target_caseload=6, maximum_caseload=9) == 9
    assert calc.key_worker_maximum(override=4, target_caseload=6, maximum_caseload=9) == 6
    assert calc.key_worker_maximum(override=1, target_caseload=6, maximum_caseload=9) == 1


def _kw(id, allocated=0, capacity=6, maximum=9, last=None):
    return CandidateKeyWorker(
        id=id, name=f"KW{id}", capacity=capacity, maximum=maximum, allocated=allocated, last_auto_allocated_at=last
    )


def _prisoners(n, previous=None):
    previous = previous or {}
    return [CandidatePrisoner(f"A{i:04d}AA", f"Surname{i:02d}", "Alex", tuple(previous.get(i, ()))) for i in range(n)]


class TestAutoAllocation:
    def test_least_loaded_first_then_balances_by_ratio(self):
        # Capacities 6 and 12, maxima equal to capacity, both empty, 16 prisoners (the reference's example): the
        # ratios fill evenly, 6 and 10 (the reference also gets 6 and 10 with these numbers).
        result = calc.propose_auto_allocation(
            prisoners=_prisoners(16), key_workers=[_kw(1, capacity=6, maximum=6), _kw(2, capacity=12, maximum=12)]
        )
        assert result.caseloads == {1: (0, 6), 2: (0, 10)}
        assert not result.unplaced

    def test_ordering_by_name_then_ratio_then_recency_then_id(self):
        t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        workers = [_kw(3, last=t), _kw(2, last=t - dt.timedelta(days=1)), _kw(1, last=t), _kw(9, allocated=1)]
        prisoners = [
            CandidatePrisoner("B0001BB", "Zed", "Amy"),
            CandidatePrisoner("A0001AA", "Adams", "Bo"),
            CandidatePrisoner("C0001CC", "Adams", "Al"),
        ]
        result = calc.propose_auto_allocation(prisoners=prisoners, key_workers=workers)
        # Adams, Al first; 2 was auto-allocated least recently; then 1 and 3 tie on time, so the lower id.
        assert [(p.prison_number, p.key_worker_id) for p in result.placements] == [
            ("C0001CC", 2),
            ("A0001AA", 1),
            ("B0001BB", 3),
        ]

    def test_never_auto_allocated_comes_before_any_time(self):
        t = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        result = calc.propose_auto_allocation(prisoners=_prisoners(1), key_workers=[_kw(1, last=t), _kw(5)])
        assert result.placements[0].key_worker_id == 5

    def test_nobody_goes_over_their_maximum(self):
        result = calc.propose_auto_allocation(
            prisoners=_prisoners(5), key_workers=[_kw(1, allocated=8), _kw(2, allocated=7, capacity=1, maximum=9)]
        )
        assert result.caseloads == {1: (8, 9), 2: (7, 9)}
        assert [u.reason for u in result.unplaced] == [calc.UNPLACED_ALL_FULL] * 2

    def test_no_key_workers(self):
        result = calc.propose_auto_allocation(prisoners=_prisoners(2), key_workers=[])
        assert [u.reason for u in result.unplaced] == [calc.UNPLACED_NO_KEY_WORKERS] * 2

    def test_continuity_prefers_the_most_recent_previous_key_worker_under_their_maximum(self):
        workers = [_kw(1), _kw(2, allocated=5), _kw(3, allocated=9)]
        previous = {0: (2,), 1: (3, 2), 2: (7,)}  # 3 is full; 7 is not a candidate
        result = calc.propose_auto_allocation(prisoners=_prisoners(3, previous), key_workers=workers)
        assert [(p.key_worker_id, p.continuity) for p in result.placements] == [(2, True), (2, True), (1, False)]

    def test_continuity_is_not_preferred_at_the_maximum(self):
        result = calc.propose_auto_allocation(
            prisoners=_prisoners(1, {0: (1,)}), key_workers=[_kw(1, allocated=9), _kw(2)]
        )
        assert result.placements == [calc.Placement("A0000AA", 2, False)]


@given(
    capacities=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=8),
    loads=st.lists(st.integers(min_value=0, max_value=14), min_size=8, max_size=8),
    prisoner_count=st.integers(min_value=0, max_value=60),
)
def test_auto_allocation_invariants(capacities, loads, prisoner_count):
    workers = [_kw(i, allocated=min(loads[i], c + 2), capacity=c, maximum=c + 2) for i, c in enumerate(capacities)]
    result = calc.propose_auto_allocation(prisoners=_prisoners(prisoner_count), key_workers=workers)
    assert len(result.placements) + len(result.unplaced) == prisoner_count
    free = sum(w.maximum - w.allocated for w in workers)
    assert len(result.placements) == min(prisoner_count, free)
    for w in workers:
        before, after = result.caseloads[w.id]
        assert before == w.allocated
        assert after <= w.maximum


def test_weekly_trend_clips_weeks_to_the_period():
    start, end = D(2026, 3, 4), D(2026, 3, 17)  # Wednesday to Tuesday
    daily = _daily(start, 14, eligible=14, assigned=10)
    weeks = calc.weekly_trend(
        start=start, end=end, daily=daily, sessions_by_day={D(2026, 3, 5): 3, D(2026, 3, 10): 4}, frequency_weeks=1
    )
    assert [(w.week_start, w.week_end) for w in weeks] == [
        (D(2026, 3, 4), D(2026, 3, 8)),
        (D(2026, 3, 9), D(2026, 3, 15)),
        (D(2026, 3, 16), D(2026, 3, 17)),
    ]
    assert [w.projected_sessions for w in weeks] == [10, 14, 4]
    assert [w.sessions for w in weeks] == [3, 4, 0]
    assert weeks[2].compliance == Decimal("0.00")


def test_this_week_starts_on_monday():
    assert calc.week_start(dt.date(2026, 11, 26)) == dt.date(2026, 11, 23)  # a Thursday -> Monday
    assert calc.week_start(dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)
