"""The recall placement suggestion (RC-1, RC-2): fixed-term recalls stay at reception; standard recalls go to
resettlement with under 24 months to the SED, else training, and exactly 24 months is training."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from casework.calculations.recall import RECEPTION, RESETTLEMENT, TRAINING, recall_placement_suggest
from casework.models import RecallPlacement

RETURNED = dt.date(2026, 11, 24)


def test_the_placements_are_the_models_choices():
    assert {RECEPTION, RESETTLEMENT, TRAINING} == set(RecallPlacement.values)


@pytest.mark.parametrize("recall_type", ["fixed_term_14", "fixed_term_28"])
def test_a_fixed_term_recall_stays_at_reception_whatever_is_left(recall_type):
    for sed in (RETURNED + relativedelta(months=3), RETURNED + relativedelta(years=5), None):
        suggestion = recall_placement_suggest(
            recall_type=recall_type, sentence_expiry_date=sed, recall_started_on=RETURNED
        )
        assert suggestion.placement == RECEPTION


@pytest.mark.parametrize(
    ("sed", "placement"),
    [
        (RETURNED + relativedelta(months=24, days=-1), RESETTLEMENT),
        (RETURNED + relativedelta(months=24), TRAINING),  # exactly 24 months: training
        (RETURNED + relativedelta(months=24, days=1), TRAINING),
        (RETURNED + relativedelta(months=1), RESETTLEMENT),
    ],
)
def test_a_standard_recall_by_months_to_sentence_expiry(sed, placement):
    suggestion = recall_placement_suggest(recall_type="standard", sentence_expiry_date=sed, recall_started_on=RETURNED)
    assert suggestion.placement == placement
    assert "24 months" in suggestion.reason


def test_the_24_months_are_calendar_months_clamped_to_the_months_end():
    leap = dt.date(2024, 2, 29)
    assert (
        recall_placement_suggest(
            recall_type="standard", sentence_expiry_date=dt.date(2026, 2, 28), recall_started_on=leap
        ).placement
        == TRAINING
    )
    assert (
        recall_placement_suggest(
            recall_type="standard", sentence_expiry_date=dt.date(2026, 2, 27), recall_started_on=leap
        ).placement
        == RESETTLEMENT
    )


@pytest.mark.parametrize(
    ("recall_type", "sed", "started", "words"),
    [
        ("", RETURNED, RETURNED, "recall type"),
        ("standard", None, RETURNED, "sentence expiry"),
        ("standard", RETURNED, None, "return to custody"),
    ],
)
def test_no_suggestion_says_what_is_missing(recall_type, sed, started, words):
    suggestion = recall_placement_suggest(recall_type=recall_type, sentence_expiry_date=sed, recall_started_on=started)
    assert suggestion.placement is None
    assert words in suggestion.reason
