"""The task engine (DECISIONS.md D-12): which tasks each case gets, with due dates at the boundaries."""

import datetime as dt

import pytest

from casework.calculations.case_facts import CaseFacts, EarlyAllocationFact, ParoleReviewFact, earliest_release_fallback
from casework.calculations.tasks import DEFAULT_TIMESCALES, Timescale, derive_tasks

D = dt.date
TODAY = D(2026, 11, 24)


def facts(**kwargs) -> CaseFacts:
    base = {
        "prison_number": "A1234BC",
        "sentence_type": "determinate",
        "sentence_start": D(2026, 9, 1),
        "earliest_release": D(2031, 9, 1),
        "rosh_level": "medium",
    }
    return CaseFacts(**{**base, **kwargs})


def by_kind(specs) -> dict:
    result: dict = {}
    for spec in specs:
        result.setdefault(spec.kind, []).append(spec)
    return result


def test_determinate_full_case_gets_initial_oasys_at_exactly_10_weeks_and_early_allocation():
    tasks = by_kind(derive_tasks(facts(), today=TODAY))
    assert [(t.owner, t.due_date) for t in tasks["initial_oasys"]] == [("pom", D(2026, 11, 10))]
    assert tasks["early_allocation_screening"][0].due_date == D(2026, 11, 10)  # week 10
    assert tasks["early_allocation_review"][0].due_date == D(2030, 3, 1)  # 18 months before release
    assert "lisp1" not in tasks


def test_indeterminate_life_sentence_gets_16_weeks_and_lisp1_within_a_week():
    tasks = by_kind(derive_tasks(facts(sentence_type="indeterminate", imprisonment_status="LIFE"), today=TODAY))
    assert tasks["initial_oasys"][0].due_date == D(2026, 12, 22)  # exactly 16 weeks
    assert tasks["lisp1"][0].due_date == D(2026, 9, 8)


def test_ipp_is_not_a_life_sentence():
    tasks = by_kind(derive_tasks(facts(sentence_type="indeterminate", imprisonment_status="IPP"), today=TODAY))
    assert "lisp1" not in tasks


def test_short_sentence_initial_oasys_is_the_coms_within_4_weeks_and_no_early_allocation():
    tasks = by_kind(derive_tasks(facts(earliest_release=D(2027, 7, 1)), today=TODAY))  # exactly 10 months
    assert [(t.owner, t.due_date) for t in tasks["initial_oasys"]] == [("com", D(2026, 9, 29))]
    assert "early_allocation_screening" not in tasks
    assert "oasys_review" not in tasks


def test_closed_estate_low_rosh_within_48_months_gets_no_full_oasys():
    specs = derive_tasks(facts(earliest_release=D(2029, 9, 1), rosh_level="low"), today=TODAY)
    kinds = {s.kind for s in specs}
    assert "initial_oasys" not in kinds
    assert "oasys_review" not in kinds
    assert "early_allocation_screening" in kinds


@pytest.mark.parametrize(
    ("indeterminate", "expected"),
    [
        # initial OASys 2020-03-11 (10 weeks), reviews every 2 years: 2024-03-11 is more than 2 years ago
        (False, [D(2026, 3, 11), D(2028, 3, 11)]),
        # initial OASys 2020-04-22 (16 weeks), reviews every 3 years
        (True, [D(2026, 4, 22), D(2029, 4, 22)]),
    ],
)
def test_oasys_reviews_every_2_or_3_years_the_latest_due_and_the_next(indeterminate, expected):
    specs = derive_tasks(
        facts(
            sentence_start=D(2020, 1, 1),
            sentence_type="indeterminate" if indeterminate else "determinate",
            earliest_release=D(2040, 1, 1),
        ),
        today=TODAY,
    )
    reviews = [s for s in specs if s.kind == "oasys_review"]
    assert [s.due_date for s in reviews] == expected
    assert all(s.occurrence == s.due_date.isoformat() for s in reviews)


def test_oasys_reviews_stop_before_the_com_allocation():
    specs = derive_tasks(
        facts(sentence_start=D(2020, 1, 1), earliest_release=D(2029, 6, 1), com_allocation_due=D(2028, 3, 11)),
        today=TODAY,
    )
    assert [s.due_date for s in specs if s.kind == "oasys_review"] == [D(2026, 3, 11)]


def test_leap_day_sentence_start_steps_months_with_clamping():
    specs = derive_tasks(facts(sentence_start=D(2024, 2, 29), earliest_release=D(2029, 8, 31)), today=D(2024, 3, 1))
    tasks = by_kind(specs)
    assert tasks["initial_oasys"][0].due_date == D(2024, 5, 9)  # 10 weeks
    assert tasks["early_allocation_review"][0].due_date == D(2028, 2, 29)  # 31 August - 18 months, clamped


def test_enhanced_handover_gets_pre_handover_oasys_and_meeting_4_weeks_after_com_allocation():
    base = facts(handover_type="enhanced", com_allocation_due=D(2030, 1, 1))
    tasks = by_kind(derive_tasks(base, today=TODAY))
    assert tasks["pre_handover_oasys"][0].due_date == D(2030, 1, 1)
    assert tasks["handover_meeting"][0].due_date == D(2030, 1, 29)
    recorded = by_kind(
        derive_tasks(
            facts(handover_type="enhanced", com_allocation_due=D(2030, 1, 1), com_allocated_on=D(2029, 12, 10)),
            today=TODAY,
        )
    )
    assert recorded["handover_meeting"][0].due_date == D(2030, 1, 7)


def test_standard_handover_gets_no_meeting_but_care_experienced_under_25_always_does():
    assert "handover_meeting" not in by_kind(
        derive_tasks(facts(handover_type="standard", com_allocation_due=D(2030, 1, 1)), today=TODAY)
    )
    care = facts(
        handover_type="standard",
        com_allocation_due=D(2030, 1, 1),
        care_experienced=True,
        date_of_birth=D(2005, 1, 2),  # 24 on the COM allocation
    )
    assert "handover_meeting" in by_kind(derive_tasks(care, today=TODAY))
    older = facts(
        handover_type="standard", com_allocation_due=D(2030, 1, 1), care_experienced=True, date_of_birth=D(2005, 1, 1)
    )  # 25 that day
    assert "handover_meeting" not in by_kind(derive_tasks(older, today=TODAY))


def test_recall_tasks_48_hours_and_10_days_for_a_standard_recall():
    standard = facts(recalled=True, recall_type="standard", returned_to_custody_on=D(2026, 11, 20))
    tasks = by_kind(derive_tasks(standard, today=TODAY))
    assert tasks["recall_meeting"][0].due_date == D(2026, 11, 22)
    assert tasks["post_recall_meeting"][0].due_date == D(2026, 11, 30)
    assert tasks["recall_meeting"][0].occurrence == "2026-11-20"
    assert "initial_oasys" not in tasks  # the sentence start is the original sentence's
    fixed = facts(recalled=True, recall_type="fixed_term_28", returned_to_custody_on=D(2026, 11, 20))
    tasks = by_kind(derive_tasks(fixed, today=TODAY))
    assert "recall_meeting" in tasks
    assert "post_recall_meeting" not in tasks


def test_youth_transfer_meeting_within_72_hours():
    tasks = by_kind(derive_tasks(facts(youth_transfer_on=D(2026, 11, 23)), today=TODAY))
    assert tasks["youth_transfer_meeting"][0].due_date == D(2026, 11, 26)


def test_remand_gets_no_sentence_tasks():
    remand = facts(legal_status="remand", sentence_type=None, sentence_start=None, earliest_release=None)
    assert derive_tasks(remand, today=TODAY) == []


def test_parole_outcome_task_once_the_hearing_has_come_and_done_when_received():
    reviews = (
        ParoleReviewFact(1, D(2026, 11, 1), None),
        ParoleReviewFact(2, D(2026, 12, 1), None),  # not yet heard
        ParoleReviewFact(3, D(2026, 10, 1), D(2026, 10, 20)),
    )
    tasks = by_kind(derive_tasks(facts(parole_reviews=reviews), today=TODAY))["parole_outcome"]
    assert [(t.occurrence, t.due_date, t.done_on) for t in tasks] == [
        ("review-3", D(2026, 10, 1), D(2026, 10, 20)),
        ("review-1", D(2026, 11, 1), None),
    ]


def test_community_decision_task_done_when_decided():
    assessments = (EarlyAllocationFact(7, D(2026, 11, 2), None), EarlyAllocationFact(8, D(2026, 10, 2), D(2026, 10, 9)))
    tasks = by_kind(derive_tasks(facts(early_allocations=assessments), today=TODAY))["community_decision"]
    assert {(t.occurrence, t.done_on) for t in tasks} == {("assessment-7", None), ("assessment-8", D(2026, 10, 9))}


def test_an_assessment_does_the_screening_and_one_in_the_window_the_review():
    early = EarlyAllocationFact(1, D(2026, 10, 1), None, asks_community=False, in_referral_window=False)
    tasks = by_kind(derive_tasks(facts(early_allocations=(early,)), today=TODAY))
    assert tasks["early_allocation_screening"][0].done_on == D(2026, 10, 1)
    assert tasks["early_allocation_review"][0].done_on is None
    assert "community_decision" not in tasks
    late = EarlyAllocationFact(2, D(2030, 3, 5), None, asks_community=False, in_referral_window=True)
    tasks = by_kind(derive_tasks(facts(early_allocations=(early, late)), today=TODAY))
    assert tasks["early_allocation_review"][0].done_on == D(2030, 3, 5)


def test_timescales_are_configurable():
    changed = DEFAULT_TIMESCALES.with_changes({"initial_oasys_determinate": (12, "weeks")})
    tasks = by_kind(derive_tasks(facts(), today=TODAY, timescales=changed))
    assert tasks["initial_oasys"][0].due_date == D(2026, 11, 24)


@pytest.mark.parametrize(("amount", "unit"), [(0, "days"), (1, "fortnights")])
def test_bad_timescales_are_refused(amount, unit):
    with pytest.raises(ValueError, match="amount|unit"):
        Timescale(amount, unit)


def test_hours_round_up_to_whole_days():
    assert Timescale(48, "hours").after(D(2026, 1, 1)) == D(2026, 1, 3)
    assert Timescale(49, "hours").after(D(2026, 1, 1)) == D(2026, 1, 4)
    assert str(Timescale(1, "weeks")) == "1 week"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"indeterminate": False, "ped": D(2030, 1, 1), "ard": D(2029, 1, 1), "crd": None, "ted": None}, D(2030, 1, 1)),
        ({"indeterminate": False, "ped": None, "ard": D(2029, 2, 1), "crd": D(2029, 1, 1), "ted": None}, D(2029, 1, 1)),
        ({"indeterminate": True, "ped": None, "ard": None, "crd": None, "ted": D(2035, 1, 1)}, D(2035, 1, 1)),
        ({"indeterminate": False, "ped": None, "ard": None, "crd": None, "ted": None}, None),
    ],
)
def test_earliest_release_fallback(kwargs, expected):
    assert earliest_release_fallback(**kwargs) == expected


def test_derivation_is_deterministic_and_keys_are_unique():
    f = facts(
        sentence_type="indeterminate",
        sentence_start=D(2015, 5, 31),
        earliest_release=D(2035, 5, 31),
        handover_type="enhanced",
        com_allocation_due=D(2034, 5, 31),
        youth_transfer_on=D(2015, 6, 1),
    )
    specs = derive_tasks(f, today=TODAY)
    assert specs == derive_tasks(f, today=TODAY)
    assert len({s.key for s in specs}) == len(specs)
