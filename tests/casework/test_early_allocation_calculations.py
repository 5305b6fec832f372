"""The pure early allocation rules: the outcome from the answers, the 18-month window and the 24-month test, with
their boundaries (inclusive), and where an assessment stands."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.calculations.early_allocation import (
    DISCRETIONARY,
    DISCRETIONARY_QUESTIONS,
    ELIGIBLE,
    INELIGIBLE,
    STATUTORY_QUESTIONS,
    ReleaseDates,
    assessment_outcome,
    due_for_release_within_24_months,
    earliest_release_for_referral,
    status_code,
    window_opens_on,
    within_referral_window,
)

TODAY = dt.date(2026, 11, 26)
ALL_NO = dict.fromkeys(STATUTORY_QUESTIONS, False)
DISCRETIONARY_NO = dict.fromkeys(DISCRETIONARY_QUESTIONS, False)


@pytest.mark.parametrize("question", STATUTORY_QUESTIONS)
def test_any_statutory_yes_is_automatically_eligible_without_the_discretionary_questions(question):
    assert assessment_outcome({**ALL_NO, question: True}) == ELIGIBLE


def test_all_no_needs_the_discretionary_answers():
    with pytest.raises(ValueError, match="high_risk_of_serious_harm"):
        assessment_outcome(ALL_NO)


def test_a_missing_statutory_answer_is_named():
    with pytest.raises(ValueError, match="cppc_case"):
        assessment_outcome({**ALL_NO, "cppc_case": None})


@pytest.mark.parametrize("question", [q for q in DISCRETIONARY_QUESTIONS if q != "extremism_separation"])
def test_any_plain_discretionary_yes_is_discretionary(question):
    assert assessment_outcome(ALL_NO, {**DISCRETIONARY_NO, question: True}) == DISCRETIONARY


def test_all_no_everywhere_is_not_eligible():
    assert assessment_outcome(ALL_NO, DISCRETIONARY_NO) == INELIGIBLE


@pytest.mark.parametrize(("due", "expected"), [(True, DISCRETIONARY), (False, INELIGIBLE)])
def test_a_separation_centre_counts_only_with_release_within_24_months(due, expected):
    answers = {**DISCRETIONARY_NO, "extremism_separation": True}
    assert assessment_outcome(ALL_NO, answers, due_for_release_within_24_months=due) == expected


def test_a_separation_centre_without_a_24_month_answer_is_refused():
    with pytest.raises(ValueError, match="due_for_release_in_less_than_24months"):
        assessment_outcome(ALL_NO, {**DISCRETIONARY_NO, "extremism_separation": True})


# The 18-month window: earliest of TED, PED, THD, ARD, CRD no more than 18 months after today, inclusive.
@pytest.mark.parametrize(
    ("earliest", "inside"),
    [
        (dt.date(2028, 5, 26), True),  # exactly 18 months
        (dt.date(2028, 5, 25), True),  # a day inside
        (dt.date(2028, 5, 27), False),  # a day outside
        (dt.date(2025, 1, 1), True),  # already past
        (None, False),  # no date: nothing to count back from
    ],
)
def test_the_18_month_window_boundary_is_inclusive(earliest, inside):
    assert within_referral_window(earliest, today=TODAY) is inside


def test_the_window_clamps_month_ends():
    # 31 August 2027 - 18 months is 28 February 2026 (clamped), but 28 February 2026 + 18 months is 28 August 2027,
    # still before 31 August: the window opens on 1 March 2026.
    earliest = dt.date(2027, 8, 31)
    assert not within_referral_window(earliest, today=dt.date(2026, 2, 28))
    assert within_referral_window(earliest, today=dt.date(2026, 3, 1))
    assert window_opens_on(earliest) == dt.date(2026, 3, 1)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_the_window_opens_on_the_first_day_inside(earliest):
    opens = window_opens_on(earliest)
    assert within_referral_window(earliest, today=opens)
    assert not within_referral_window(earliest, today=opens - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("earliest", "due"),
    [
        (dt.date(2028, 11, 26), True),  # exactly 24 months
        (dt.date(2028, 11, 25), True),
        (dt.date(2028, 11, 27), False),
        (None, None),  # not known: the POM is asked
    ],
)
def test_due_for_release_within_24_months_boundary_is_inclusive(earliest, due):
    assert due_for_release_within_24_months(earliest, today=TODAY) is due


def test_the_earliest_of_the_five_dates_counts_and_others_are_ignored():
    dates = ReleaseDates(
        tariff_expiry_date=dt.date(2030, 1, 1),
        parole_eligibility_date=dt.date(2029, 1, 1),
        target_hearing_date=dt.date(2028, 6, 1),
        automatic_release_date=dt.date(2028, 7, 1),
        conditional_release_date=dt.date(2028, 8, 1),
    )
    assert earliest_release_for_referral(dates) == ("THD", dt.date(2028, 6, 1))
    assert earliest_release_for_referral(ReleaseDates()) is None


def test_a_tie_names_the_first_in_policy_order():
    day = dt.date(2028, 1, 1)
    assert earliest_release_for_referral(ReleaseDates(conditional_release_date=day, parole_eligibility_date=day)) == (
        "PED",
        day,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"outcome": None}, "not_assessed"),
        ({"outcome": INELIGIBLE}, "ineligible"),
        ({"outcome": ELIGIBLE, "within_window": False}, "assessed_outside_window"),
        ({"outcome": DISCRETIONARY, "within_window": False}, "assessed_outside_window"),
        ({"outcome": ELIGIBLE}, "eligible"),
        ({"outcome": DISCRETIONARY}, "awaiting_approval"),
        ({"outcome": DISCRETIONARY, "approved": True}, "referral_not_sent"),
        ({"outcome": DISCRETIONARY, "approved": True, "referral_sent": True}, "awaiting_community_decision"),
        ({"outcome": DISCRETIONARY, "approved": True, "referral_sent": True, "decision": True}, "community_accepted"),
        ({"outcome": DISCRETIONARY, "approved": True, "referral_sent": True, "decision": False}, "community_rejected"),
    ],
)
def test_status_codes(kwargs, code):
    args = {"outcome": None, "within_window": True, "approved": False, "referral_sent": False, "decision": None}
    args.update(kwargs)
    decision = args.pop("decision")
    assert status_code(**args, community_decision=decision) == code
