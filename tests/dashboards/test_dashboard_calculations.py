"""The dashboards' pure calculations: percentages, medians, waits and the caseload chart's layout. No database."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards import calculations as calc

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (0, 5, Decimal("0.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (7, 7, Decimal("100.0")),
     (12, 10, Decimal("120.0"))],
)  # fmt: skip
def test_percent(part, whole, expected):
    assert calc.percent(part, whole) == expected


def test_percent_refuses_negative_counts():
    with pytest.raises(ValueError):
        calc.percent(-1, 3)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([None], None), ([4], Decimal("4.0")), ([3, 1, 2], Decimal("2.0")), ([1, 2, 3, 10], Decimal("2.5")),
     ([Decimal("1.25"), Decimal("1.5")], Decimal("1.4"))],
)  # fmt: skip
def test_median(values, expected):
    assert calc.median(values) == expected


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1))
def test_median_lies_between_the_smallest_and_largest(values):
    assert min(values) <= calc.median(values) <= max(values)


def test_waits_count_whole_days_and_never_go_negative():
    days = [TODAY - dt.timedelta(days=10), TODAY, TODAY + dt.timedelta(days=3), None]
    assert calc.oldest_wait_days(days, today=TODAY) == 10
    assert calc.median_wait_days(days, today=TODAY) == Decimal("0.0")
    assert calc.oldest_wait_days([None], today=TODAY) is None


def test_on_time_is_on_or_before_the_due_date():
    due = dt.date(2026, 11, 1)
    assert calc.on_time(due=due, done=due)
    assert not calc.on_time(due=due, done=due + dt.timedelta(days=1))
    assert not calc.on_time(due=due, done=None)


def _pom(name, fte, by_tier):
    loads = {t: Decimal(v) for t, v in by_tier.items()}
    per_fte = sum(loads.values(), Decimal(0)) / Decimal(fte)
    return calc.PomLoad(name, Decimal(fte), per_fte, loads, {t: 1 for t in loads})


def test_the_chart_splits_each_bar_by_tier_and_marks_the_capacity():
    chart = calc.caseload_chart(
        [_pom("Priya Adams", "1.0", {"A": "30", "C": "30"}), _pom("Paul Baker", "0.5", {"B": "20", "D": "0"})],
        capacity=Decimal("60"),
    )
    first, second = chart.rows
    assert [s.tier for s in first.segments] == ["A", "C"]
    assert first.segments[0].x == chart.left
    assert first.segments[1].x == first.segments[0].x + first.segments[0].width  # stacked, no gap
    assert not first.over_capacity  # exactly at capacity is not over it
    assert [s.tier for s in second.segments] == ["B"]  # a tier with no load draws nothing
    assert second.per_fte == Decimal("40")
    assert not second.over_capacity
    assert first.segments[-1].x + first.segments[-1].width == chart.capacity_x  # 60 per FTE ends at the line
    assert [label for label, _ in chart.legend] == ["Tier A", "Tier B", "Tier C"]


def test_the_scale_fits_the_largest_bar_beyond_the_capacity():
    chart = calc.caseload_chart([_pom("Olu Okoro", "1.0", {"": "120"})], capacity=Decimal("60"))
    row = chart.rows[0]
    assert row.over_capacity
    assert row.segments[0].x + row.segments[0].width == chart.width - 20  # the longest bar fills the plot
    assert chart.capacity_x < row.segments[0].x + row.segments[0].width
    assert chart.legend == (("No tier", calc.TIER_COLOURS[""]),)


def test_an_empty_chart_still_has_a_height():
    chart = calc.caseload_chart([], capacity=Decimal("60"))
    assert chart.rows == ()
    assert chart.height > 0


def _row(name, **figures):
    return {"name": name, **{k: figures.get(k) for k in ("oasys_overdue", "keywork_delivery_percent")}}


def test_sorting_the_national_table_puts_missing_figures_last_either_way():
    rows = [
        _row("B", oasys_overdue=5),
        _row("A", oasys_overdue=None),
        _row("C", oasys_overdue=9),
        _row("D", oasys_overdue=5),
    ]
    assert [r["name"] for r in calc.sort_rows(rows, key="oasys", descending=True)] == ["C", "B", "D", "A"]
    assert [r["name"] for r in calc.sort_rows(rows, key="oasys", descending=False)] == ["B", "D", "C", "A"]
    assert [r["name"] for r in calc.sort_rows(rows, key="prison", descending=False)] == ["A", "B", "C", "D"]
