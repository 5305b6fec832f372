"""Service level (DECISIONS.md D-11): boundaries at exactly 10 and 48 months, leap days, and each exception."""

import datetime as dt

import pytest

from casework.calculations.case_facts import CaseFacts
from casework.calculations.service_level import is_under_10_months, is_up_to_48_months, service_level

D = dt.date


def facts(**kwargs) -> CaseFacts:
    base = {
        "prison_number": "A1234BC",
        "sentence_type": "determinate",
        "sentence_start": D(2025, 1, 15),
        "earliest_release": D(2030, 1, 15),
        "rosh_level": "medium",
    }
    return CaseFacts(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("start", "release", "short"),
    [
        (D(2025, 1, 15), D(2025, 11, 15), True),  # exactly 10 months: short (D-04)
        (D(2025, 1, 15), D(2025, 11, 14), True),
        (D(2025, 1, 15), D(2025, 11, 16), False),  # a day over
        (D(2024, 4, 30), D(2025, 2, 28), True),  # 30 April + 10 months clamps to 28 February (D-02)
        (D(2024, 4, 30), D(2025, 3, 1), False),
        (D(2023, 4, 30), D(2024, 2, 29), True),  # leap year: clamps to 29 February
        (D(2023, 4, 30), D(2024, 3, 1), False),
        (D(2024, 2, 29), D(2024, 12, 29), True),  # a leap-day start
        (D(2024, 2, 29), D(2024, 12, 30), False),
    ],
)
def test_exactly_10_months_is_short(start, release, short):
    assert is_under_10_months(start, release) is short
    level = service_level(facts(sentence_start=start, earliest_release=release))
    assert level.full is not short
    assert (level.code == "under_10_months") is short


@pytest.mark.parametrize(
    ("start", "release", "excluded"),
    [
        (D(2025, 1, 15), D(2029, 1, 15), True),  # exactly 48 months: "up to 48 months", excluded
        (D(2025, 1, 15), D(2029, 1, 16), False),
        (D(2024, 2, 29), D(2028, 2, 29), True),  # leap day to leap day
        (D(2024, 2, 29), D(2028, 3, 1), False),
        (D(2023, 2, 28), D(2027, 2, 28), True),
    ],
)
def test_exactly_48_months_low_rosh_closed_male_is_excluded(start, release, excluded):
    assert is_up_to_48_months(start, release) is excluded
    level = service_level(facts(sentence_start=start, earliest_release=release, rosh_level="low"))
    assert level.full is not excluded
    assert level.code == ("closed_estate_low_rosh" if excluded else "over_48_months")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"care_experienced": True}, "care_experienced"),
        ({"recalled": True, "recall_type": "fixed_term_28"}, "fixed_term_recall"),
        ({"recalled": True, "recall_type": "fixed_term_14"}, "fixed_term_recall"),
        ({"sex": "female", "estate": "womens"}, "not_mens_closed"),
        ({"estate": "mens_open"}, "not_mens_closed"),
        ({"rosh_level": "medium"}, "not_low_rosh"),
        ({"rosh_level": ""}, "not_low_rosh"),  # not known is not low
    ],
)
def test_48_month_rule_does_not_exclude(changes, code):
    base = {"earliest_release": D(2027, 1, 15), "rosh_level": "low"}
    level = service_level(facts(**{**base, **changes}))
    assert level.full is True
    assert level.code == code


def test_a_standard_recall_low_rosh_within_48_months_is_excluded():
    level = service_level(
        facts(earliest_release=D(2027, 1, 15), rosh_level="low", recalled=True, recall_type="standard")
    )
    assert (level.full, level.code) == (False, "closed_estate_low_rosh")


def test_care_experienced_short_sentence_is_still_under_10_months():
    level = service_level(facts(earliest_release=D(2025, 6, 1), care_experienced=True))
    assert (level.full, level.code) == (False, "under_10_months")


@pytest.mark.parametrize(
    ("changes", "full", "code"),
    [
        ({"sentence_type": None, "sentence_start": None, "legal_status": "remand"}, False, "not_sentenced"),
        ({"legal_status": "civil"}, False, "not_sentenced"),
        ({"sentence_start": None}, False, "not_sentenced"),
        ({"sentence_type": "indeterminate", "earliest_release": D(2025, 6, 1)}, True, "indeterminate"),
        ({"earliest_release": None}, True, "release_not_known"),
    ],
)
def test_other_cases(changes, full, code):
    level = service_level(facts(**changes))
    assert (level.full, level.code) == (full, code)
    assert level.reason
    assert level.label in ("Full case management", "No full case management")
