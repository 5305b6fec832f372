"""explain(), POLICY_VERSIONS metadata and the facts snapshot helpers."""

from datetime import date, timedelta

import pytest

from handover.calculations import POLICY_VERSIONS, HandoverFacts, calculate
from handover.calculations.explain import explain, facts_from_json, facts_to_json
from handover.calculations.inputs import FieldError

FACTS = HandoverFacts(
    sentence_type="determinate",
    sentence_start_date=date(2024, 1, 1),
    conditional_release_date=date(2026, 6, 1),
    mappa_level=2,
    recalled=False,
)


def test_policy_versions_cover_every_day_without_gaps():
    versions = list(POLICY_VERSIONS.values())
    assert [v.name for v in versions] == ["2019", "2022-10", "2023-05", "2023-11", "current"]
    for earlier, later in zip(versions, versions[1:], strict=False):
        assert earlier.in_force_to + timedelta(days=1) == later.in_force_from
    assert versions[-1].in_force_to is None
    assert versions[-1].in_force_on(date(2025, 5, 15))
    assert not versions[-2].in_force_on(date(2025, 5, 15))
    assert all(v.label and v.summary for v in versions)


def test_explain_names_the_rule_the_release_and_the_policy():
    result = calculate(FACTS, date(2025, 6, 1))
    text = explain(FACTS, result)
    assert text["responsible_now"].startswith("The prison offender manager (POM) is responsible")
    assert "8 months and 14 days" in text["rule"]
    assert text["release"] == "The handover is counted back from the conditional release date (CRD), 1 June 2026."
    assert text["policy"] == "current"
    assert "in force from 15 May 2025" in text["policy_in_force"]
    assert "D-01" in text["policy_in_force"]
    changes = " ".join(text["what_would_change"])
    assert "early allocation decision would move the handover to 15 months before 1 June 2026" in changes
    assert "parole eligibility date" in changes


def test_explain_short_and_outside():
    short = HandoverFacts(sentence_start_date=date(2024, 1, 1), conditional_release_date=date(2024, 6, 1))
    assert "D-04" in explain(short, calculate(short, date(2024, 2, 1)))["rule"]
    child = HandoverFacts(age=16, sentence_start_date=date(2024, 1, 1), conditional_release_date=date(2025, 6, 1))
    text = explain(child, calculate(child, date(2024, 2, 1)))
    assert "D-19" in text["rule"]
    assert text["release"] == "No earliest release date is known."


def test_facts_round_trip_through_json():
    data = facts_to_json(FACTS)
    assert data == {
        "sentence_type": "determinate",
        "sentence_start_date": "2024-01-01",
        "conditional_release_date": "2026-06-01",
        "mappa_level": 2,
        "recalled": False,
    }
    assert facts_from_json(data) == FACTS


def test_facts_from_json_names_a_bad_field():
    with pytest.raises(FieldError, match="^mappa_level:"):
        facts_from_json({"mappa_level": "2"})
