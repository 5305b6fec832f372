"""Parole reviews and early allocation assessments reach the engine's facts (manage-pom-cases-reference.md 3.4).

The three readings are subqueries on the one fact query, so these also check the query count stays at one.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import EarlyAllocation, ParoleReview
from handover.facts import fact_rows, facts_for, facts_from_row
from tests.factories.handover import handover_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
SSD = TODAY - relativedelta(years=1)


def _review(prisoner, **fields):
    return ParoleReview.objects.create(prisoner=prisoner, **fields)


def _assessment(prisoner, *, created_on, **fields):
    values = {
        "prison": prisoner.prison,
        "oasys_risk_assessment_date": created_on,
        "convicted_under_terrorism_act_2000": False,
        "high_profile": False,
        "serious_crime_prevention_order": False,
        "mappa_level_3": False,
        "cppc_case": False,
        "outcome": EarlyAllocation.Outcome.INELIGIBLE,
        "created_within_referral_window": True,
        "created_at": timezone.make_aware(dt.datetime.combine(created_on, dt.time(12))),
    }
    values.update(fields)
    return EarlyAllocation.objects.create(prisoner=prisoner, **values)


def _case(**sentence):
    return handover_case(release_in=relativedelta(years=2), sentence_start_date=SSD, **sentence)


def test_no_reviews_and_no_assessment_mean_not_known_and_no_early_allocation():
    facts = facts_for(_case().pk, TODAY)
    assert facts.target_hearing_date is None
    assert facts.latest_parole_outcome is None
    assert facts.early_allocation is False


def test_the_target_hearing_date_is_that_of_the_latest_review_for_this_sentence():
    prisoner = _case()
    _review(prisoner, target_hearing_date=SSD - relativedelta(days=1))  # an earlier sentence's: ignored
    _review(prisoner, target_hearing_date=TODAY + relativedelta(months=3))
    _review(prisoner, target_hearing_date=TODAY + relativedelta(months=9))
    assert facts_for(prisoner.pk, TODAY).target_hearing_date == TODAY + relativedelta(months=9)


def test_a_review_with_only_a_custody_report_date_that_is_latest_gives_no_target_hearing_date():
    prisoner = _case()
    _review(prisoner, target_hearing_date=TODAY + relativedelta(months=3))
    _review(prisoner, custody_report_due=TODAY + relativedelta(months=5))
    assert facts_for(prisoner.pk, TODAY).target_hearing_date is None


def test_only_an_earlier_sentences_review_counts_as_none():
    prisoner = _case()
    _review(prisoner, target_hearing_date=SSD - relativedelta(days=1), hearing_outcome="Release [*]")
    facts = facts_for(prisoner.pk, TODAY)
    assert facts.target_hearing_date is None
    assert facts.latest_parole_outcome is None


@pytest.mark.parametrize(
    ("outcome", "received", "expected"),
    [
        ("", None, None),  # not completed
        ("Not Applicable", None, None),
        ("not specified", None, None),
        ("Release [*]", None, "release"),
        ("release", None, "release"),
        ("No Release", None, "not_release"),
        ("Refused", None, "not_release"),
        ("", TODAY, "not_release"),  # received, no outcome text: completed and not a release
    ],
)
def test_the_latest_completed_review_gives_the_outcome(outcome, received, expected):
    prisoner = _case()
    _review(
        prisoner,
        target_hearing_date=TODAY - relativedelta(months=1),
        hearing_outcome=outcome,
        hearing_outcome_received_on=received,
    )
    assert facts_for(prisoner.pk, TODAY).latest_parole_outcome == expected


def test_a_newer_uncompleted_review_does_not_hide_the_latest_completed_one():
    prisoner = _case()
    _review(prisoner, target_hearing_date=TODAY - relativedelta(months=2), hearing_outcome="No Release")
    _review(prisoner, target_hearing_date=TODAY + relativedelta(months=10))
    facts = facts_for(prisoner.pk, TODAY)
    assert facts.latest_parole_outcome == "not_release"
    assert facts.target_hearing_date == TODAY + relativedelta(months=10)


def test_an_eligible_assessment_in_the_window_is_early_allocation():
    prisoner = _case()
    _assessment(prisoner, created_on=TODAY, high_profile=True, outcome=EarlyAllocation.Outcome.ELIGIBLE)
    assert facts_for(prisoner.pk, TODAY).early_allocation is True


def test_only_the_latest_assessment_counts():
    prisoner = _case()
    _assessment(prisoner, created_on=TODAY - relativedelta(days=5), outcome=EarlyAllocation.Outcome.ELIGIBLE)
    _assessment(prisoner, created_on=TODAY)  # a later one found it ineligible
    assert facts_for(prisoner.pk, TODAY).early_allocation is False


@pytest.mark.parametrize(("decision", "expected"), [(None, False), (False, False), (True, True)])
def test_a_discretionary_case_needs_the_community_to_say_yes(decision, expected):
    prisoner = _case()
    _assessment(
        prisoner,
        created_on=TODAY,
        outcome=EarlyAllocation.Outcome.DISCRETIONARY,
        reason="Exceptional risk",
        community_decision=decision,
        community_decision_date=None if decision is None else TODAY,
    )
    assert facts_for(prisoner.pk, TODAY).early_allocation is expected


def test_an_assessment_outside_the_window_or_before_the_sentence_does_not_count():
    outside = _case()
    _assessment(
        outside, created_on=TODAY, outcome=EarlyAllocation.Outcome.ELIGIBLE, created_within_referral_window=False
    )
    earlier_sentence = _case()
    _assessment(earlier_sentence, created_on=SSD - relativedelta(days=1), outcome=EarlyAllocation.Outcome.ELIGIBLE)
    assert facts_for(outside.pk, TODAY).early_allocation is False
    assert facts_for(earlier_sentence.pk, TODAY).early_allocation is False


@pytest.mark.parametrize(("led_offset", "expected"), [(-1, False), (0, True), (1, True)])
def test_a_licence_that_has_expired_ends_early_allocation(led_offset, expected):
    prisoner = _case(licence_expiry_date=TODAY + relativedelta(days=led_offset))
    _assessment(prisoner, created_on=TODAY - relativedelta(days=10), outcome=EarlyAllocation.Outcome.ELIGIBLE)
    assert facts_for(prisoner.pk, TODAY).early_allocation is expected


def test_the_readings_cost_no_extra_query(django_assert_num_queries):
    cases = [_case() for _ in range(3)]
    for prisoner in cases:
        _review(prisoner, target_hearing_date=TODAY + relativedelta(months=4), hearing_outcome="Release [*]")
        _assessment(prisoner, created_on=TODAY, outcome=EarlyAllocation.Outcome.ELIGIBLE)
    with django_assert_num_queries(1):
        rows = list(fact_rows().filter(prison_number__in=[p.pk for p in cases]))
    facts = [facts_from_row(row, TODAY) for row in rows]
    assert all(f.early_allocation and f.latest_parole_outcome == "release" for f in facts)
