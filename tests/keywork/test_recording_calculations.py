"""The pure recording rules: due and overdue at the boundaries, weeks, months and the quality sample."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keywork.recording_calculations import (
    DueStatus,
    month_bounds,
    month_start,
    next_session_due,
    previous_month,
    quality_sample,
    session_due,
    week_end,
)

# Wednesday 25 November 2026; the week runs Monday 23 to Sunday 29 November.
WEDNESDAY = dt.date(2026, 11, 25)


def test_week_end_is_the_sunday_of_the_week():
    assert week_end(dt.date(2026, 11, 23)) == dt.date(2026, 11, 29)
    assert week_end(WEDNESDAY) == dt.date(2026, 11, 29)
    assert week_end(dt.date(2026, 11, 29)) == dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("last", "freq", "status", "days_overdue"),
    [
        (WEDNESDAY - dt.timedelta(days=7), 1, DueStatus.DUE_THIS_WEEK, 0),  # due today: on time, not overdue
        (WEDNESDAY - dt.timedelta(days=8), 1, DueStatus.OVERDUE, 1),  # due yesterday
        (WEDNESDAY - dt.timedelta(days=3), 1, DueStatus.DUE_THIS_WEEK, 0),  # due on Sunday, the last day of the week
        (WEDNESDAY - dt.timedelta(days=2), 1, DueStatus.NOT_DUE, 0),  # due next Monday
        (WEDNESDAY, 1, DueStatus.NOT_DUE, 0),
        (WEDNESDAY - dt.timedelta(days=14), 2, DueStatus.DUE_THIS_WEEK, 0),  # fortnightly, due today
        (WEDNESDAY - dt.timedelta(days=15), 2, DueStatus.OVERDUE, 1),
        (WEDNESDAY - dt.timedelta(days=8), 2, DueStatus.NOT_DUE, 0),  # weekly would be overdue; fortnightly is not
        (WEDNESDAY - dt.timedelta(days=60), 1, DueStatus.OVERDUE, 53),
    ],
)
def test_session_due_at_the_boundaries(last, freq, status, days_overdue):
    result = session_due(last_session=last, allocated_on=dt.date(2026, 1, 1), frequency_weeks=freq, today=WEDNESDAY)
    assert (result.status, result.days_overdue) == (status, days_overdue)
    assert result.due_date == last + dt.timedelta(weeks=freq)


def test_without_a_session_the_clock_starts_at_allocation():
    allocated = WEDNESDAY - dt.timedelta(days=8)
    result = session_due(last_session=None, allocated_on=allocated, frequency_weeks=1, today=WEDNESDAY)
    assert result.status == DueStatus.OVERDUE
    assert result.due_date == WEDNESDAY - dt.timedelta(days=1)
    assert result.label == "Overdue"


def test_a_session_with_an_earlier_key_worker_does_not_count_for_the_new_allocation():
    allocated = WEDNESDAY - dt.timedelta(days=2)
    due = next_session_due(last_session=WEDNESDAY - dt.timedelta(days=30), allocated_on=allocated, frequency_weeks=1)
    assert due == allocated + dt.timedelta(weeks=1)


def test_a_session_on_the_day_of_allocation_counts():
    assert next_session_due(
        last_session=WEDNESDAY, allocated_on=WEDNESDAY, frequency_weeks=1
    ) == WEDNESDAY + dt.timedelta(days=7)


def test_frequency_below_one_week_is_refused():
    with pytest.raises(ValueError):
        next_session_due(last_session=None, allocated_on=WEDNESDAY, frequency_weeks=0)


@given(
    last=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    today=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    freq=st.integers(min_value=1, max_value=4),
)
def test_overdue_exactly_when_the_due_date_has_passed(last, today, freq):
    result = session_due(last_session=last, allocated_on=dt.date(2019, 1, 1), frequency_weeks=freq, today=today)
    assert (result.status == DueStatus.OVERDUE) == (today > last + dt.timedelta(weeks=freq))
    assert result.days_overdue == max(0, (today - result.due_date).days)


def test_months():
    assert previous_month(dt.date(2026, 12, 1)) == dt.date(2026, 11, 1)
    assert previous_month(dt.date(2026, 1, 31)) == dt.date(2025, 12, 1)
    assert month_bounds(dt.date(2026, 2, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_bounds(dt.date(2028, 2, 15)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))


def test_the_sample_has_the_prisons_size_or_everything_when_there_are_fewer():
    entries = list(range(1, 21))
    sample = quality_sample(entry_ids=entries, size=3, seed="LEI-7-2026-11")
    assert len(sample) == 3
    assert set(sample) <= set(entries)
    assert sample == sorted(sample)
    assert quality_sample(entry_ids=[5, 2], size=3, seed="x") == [2, 5]
    assert quality_sample(entry_ids=[], size=3, seed="x") == []


def test_the_sample_is_repeatable_for_a_seed_and_varies_between_seeds():
    entries = list(range(100))
    first = quality_sample(entry_ids=entries, size=5, seed="LEI-7-2026-11")
    assert quality_sample(entry_ids=list(reversed(entries)), size=5, seed="LEI-7-2026-11") == first
    others = {tuple(quality_sample(entry_ids=entries, size=5, seed=f"LEI-7-{m}")) for m in range(10)}
    assert len(others) > 1


def test_the_sample_size_is_at_least_one():
    with pytest.raises(ValueError):
        quality_sample(entry_ids=[1, 2], size=0, seed="x")


@given(entries=st.sets(st.integers(min_value=1, max_value=10_000), max_size=60), size=st.integers(1, 12))
def test_the_sample_is_a_subset_of_the_right_size(entries, size):
    sample = quality_sample(entry_ids=list(entries), size=size, seed="s")
    assert len(sample) == min(size, len(entries))
    assert set(sample) <= entries
    assert len(set(sample)) == len(sample)


def test_this_month_starts_on_the_first():
    assert month_start(dt.date(2026, 11, 26)) == dt.date(2026, 11, 1)
    assert month_start(dt.date(2026, 11, 1)) == dt.date(2026, 11, 1)
