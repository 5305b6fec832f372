"""The pure oversight calculations: the fair, repeatable sample and the scoring. No database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.calculations import (
    QuestionResult,
    action_status,
    audit_score,
    months_back,
    parse_month,
    question_results,
    sample_cases,
    sum_results,
)

CASES = [f"A{n:04d}BC" for n in range(20)]


def test_a_poms_sample_is_the_size_asked_for_or_every_case_when_fewer():
    assert len(sample_cases(case_ids=CASES, size=2, seed="LEI-1-2026-11")) == 2
    assert sample_cases(case_ids=CASES[:1], size=2, seed="s") == CASES[:1]
    assert sample_cases(case_ids=[], size=2, seed="s") == []


def test_the_same_seed_and_caseload_give_the_same_sample_and_another_month_another():
    first = sample_cases(case_ids=CASES, size=3, seed="LEI-1-2026-11")
    assert first == sample_cases(case_ids=list(reversed(CASES)), size=3, seed="LEI-1-2026-11")
    months = {tuple(sample_cases(case_ids=CASES, size=3, seed=f"LEI-1-2026-{m:02d}")) for m in range(1, 13)}
    assert len(months) > 1


def test_cases_audited_recently_are_chosen_only_when_there_are_not_enough_others():
    recent = set(CASES[:18])
    chosen = sample_cases(case_ids=CASES, size=2, seed="s", recently_audited=recent)
    assert set(chosen) == set(CASES[18:])
    chosen = sample_cases(case_ids=CASES, size=4, seed="s", recently_audited=recent)
    assert set(CASES[18:]) < set(chosen)
    assert len(chosen) == 4


def test_over_many_draws_every_case_is_as_likely_to_be_chosen():
    counts = dict.fromkeys(CASES, 0)
    for n in range(2000):
        for case in sample_cases(case_ids=CASES, size=2, seed=f"seed-{n}"):
            counts[case] += 1
    assert min(counts.values()) > 150
    assert max(counts.values()) < 250


def test_a_sample_size_below_one_is_refused():
    with pytest.raises(ValueError):
        sample_cases(case_ids=CASES, size=0, seed="s")


@given(
    cases=st.lists(st.integers(0, 9999).map(lambda n: f"A{n:04d}BC"), max_size=40),
    size=st.integers(1, 10),
    seed=st.text(max_size=10),
    recent=st.data(),
)
def test_the_sample_is_always_drawn_from_the_caseload_without_repeats(cases, size, seed, recent):
    recently = recent.draw(st.sets(st.sampled_from(cases))) if cases else set()
    chosen = sample_cases(case_ids=cases, size=size, seed=seed, recently_audited=recently)
    assert len(chosen) == len(set(chosen)) == min(size, len(set(cases)))
    assert set(chosen) <= set(cases)
    assert chosen == sorted(chosen)
    fresh = set(cases) - recently
    assert len(set(chosen) & fresh) == min(size, len(fresh))


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ({"a": "yes", "b": "yes"}, 100),
        ({"a": "yes", "b": "no"}, 50),
        ({"a": "partly", "b": "partly", "c": "partly", "d": "partly"}, 50),
        ({"a": "yes", "b": "partly", "c": "no", "d": "no"}, 38),
        ({"a": "no"}, 0),
        ({"a": ""}, None),
        ({}, None),
    ],
)
def test_an_audit_scores_yes_2_partly_1_no_0(answers, score):
    assert audit_score(answers) == score


def test_results_per_question_count_each_answer_and_add_up():
    audits = [{"q1": "yes", "q2": "no"}, {"q1": "partly", "q2": "no"}, {"q1": "yes", "q2": ""}]
    q1, q2 = question_results(audits, questions=["q1", "q2"])
    assert (q1.yes, q1.partly, q1.no, q1.answered, q1.yes_percent, q1.score) == (2, 1, 0, 3, 67, 83)
    assert (q2.answered, q2.yes_percent, q2.score) == (2, 0, 0)
    assert QuestionResult("q", 0, 0, 0).yes_percent is None
    total = sum_results([[q1, q2], [QuestionResult("q1", 1, 0, 1), QuestionResult("q2", 0, 0, 0)]])
    assert total == [QuestionResult("q1", 3, 1, 1), QuestionResult("q2", 0, 0, 2)]


def test_an_action_is_overdue_only_after_its_due_date_and_until_done():
    due = dt.date(2026, 11, 24)
    assert action_status(due_date=due, done=False, today=due) == "open"
    assert action_status(due_date=due, done=False, today=due + dt.timedelta(days=1)) == "overdue"
    assert action_status(due_date=due, done=True, today=due + dt.timedelta(days=9)) == "done"


def test_months():
    assert parse_month("2026-02") == dt.date(2026, 2, 1)
    assert months_back(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 1)
    assert months_back(dt.date(2026, 1, 15), 11) == dt.date(2025, 2, 1)
    for bad in ("2026-2", "26-02", "2026-13", "", "abcd-ef"):
        with pytest.raises(ValueError):
            parse_month(bad)
