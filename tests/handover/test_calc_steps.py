"""Every single-step vector (scopes handover_date, handover_start_date, responsibility, earliest_release, omic_gate)
as a unit test of the engine's own step functions."""

from datetime import date

import pytest

from handover.calculations import release
from handover.calculations.gate import Case, inside_omic_policy
from handover.calculations.policies import current, v2023_05
from handover.calculations.steps import ROLES, open_estate_start_date, responsibility_on
from handover.calculations.types import HandoverFacts
from tests.handover.vectors import by_scope


def _d(value):
    return None if value is None else date.fromisoformat(value)


HANDOVER_DATE_RULES = {"current": current.handover_date, "v2023-05": v2023_05.handover_date}


@pytest.mark.parametrize("vector", by_scope("handover_date"), ids=lambda v: v["id"])
def test_handover_date_vectors(vector):
    given = vector["inputs"]
    rule = HANDOVER_DATE_RULES[vector["rule_version"]]
    handover, reason = rule(
        _d(given["sentence_start_date"]),
        _d(given["earliest_release_date"]),
        given.get("early_allocation", False),
        given["sentence_type"] == "indeterminate",
        given.get("in_open_conditions", False),
        given.get("determinate_parole", False),
    )
    assert (handover, reason) == (_d(vector["expected"]["handover_date"]), vector["expected"]["reason"])


@pytest.mark.parametrize("vector", by_scope("handover_start_date"), ids=lambda v: v["id"])
def test_handover_start_date_vectors(vector):
    given = vector["inputs"]
    start = open_estate_start_date(
        _d(given["handover_date"]),
        _d(given["category_active_since"]),
        _d(given["prison_arrival_date"]),
        given["sentence_type"] == "indeterminate",
        given["open_prison_rules_apply"],
        given["prison_estate"] == "womens",
    )
    assert start == _d(vector["expected"]["handover_start_date"])


@pytest.mark.parametrize("vector", by_scope("responsibility"), ids=lambda v: v["id"])
def test_responsibility_vectors(vector):
    given, expected = vector["inputs"], vector["expected"]
    responsibility = responsibility_on(_d(given["as_of"]), _d(given["handover_start_date"]), _d(given["handover_date"]))
    assert responsibility == expected["responsibility"]
    assert ROLES[responsibility] == (expected["pom_role"], expected["com_role"])


FACT_NAMES = set(HandoverFacts.__dataclass_fields__)


def _facts(given) -> HandoverFacts:
    values = {}
    for name, value in given.items():
        if name in FACT_NAMES:
            values[name] = _d(value) if isinstance(value, str) and name.endswith(("_date", "_since")) else value
    return HandoverFacts(**values)


@pytest.mark.parametrize("vector", by_scope("earliest_release"), ids=lambda v: v["id"])
def test_earliest_release_vectors(vector):
    given = vector["inputs"]
    got = release.current(Case(_facts(given), _d(given["as_of"])))
    expected = vector["expected"]["earliest_release"]
    assert got == (None if expected is None else (expected["type"], _d(expected["date"])))


@pytest.mark.parametrize("vector", by_scope("omic_gate"), ids=lambda v: v["id"])
def test_omic_gate_vectors(vector):
    assert inside_omic_policy(_facts(vector["inputs"])) is vector["expected"]["inside_omic_policy"]


@pytest.mark.parametrize(
    ("facts", "inside"),
    [
        ({"age": 18, "sentence_start_date": date(2024, 1, 1), "conditional_release_date": date(2025, 1, 1)}, True),
        ({"age": None, "sentence_start_date": date(2024, 1, 1), "conditional_release_date": date(2025, 1, 1)}, True),
        ({"sentence_type": "indeterminate", "sentence_start_date": date(2010, 1, 1)}, True),
        ({"sentence_type": "indeterminate"}, False),  # D-19: no sentence start, indeterminate or not
        ({"sentence_start_date": date(2024, 1, 1)}, False),  # no release-type date
        ({"sentence_start_date": date(2024, 1, 1), "target_hearing_date": date(2025, 1, 1)}, False),
        ({"sentence_start_date": date(2024, 1, 1), "tariff_expiry_date": date(2030, 1, 1)}, True),
        ({"sentence_start_date": date(2024, 1, 1), "parole_eligibility_date": date(2025, 1, 1)}, True),
        ({"immigration_case": True}, True),
        ({"imprisonment_status": "DET"}, True),
        ({"immigration_case": True, "age": 17}, False),
        *[
            (
                {
                    "imprisonment_status": s,
                    "sentence_start_date": date(2024, 1, 1),
                    "tariff_expiry_date": date(2030, 1, 1),
                },
                False,
            )
            for s in (
                "A/FINE",
                "A_FINE",
                "A_CFINE",
                "CIVIL",
                "CIVIL_CON",
                "CIVIL_DT",
                "CIV_RMD",
                "YOC_CONT",
                "YO_CFINE",
            )
        ],
    ],
)
def test_the_omic_gate_d19(facts, inside):
    assert inside_omic_policy(HandoverFacts(**facts)) is inside


def test_a_thd_before_the_sentence_start_is_ignored():
    facts = HandoverFacts(
        sentence_type="indeterminate", sentence_start_date=date(2020, 1, 1), target_hearing_date=date(2019, 12, 31)
    )
    assert Case(facts, date(2024, 1, 1)).target_hearing_date is None
    assert Case(
        facts.__class__(**{**_asdict(facts), "target_hearing_date": date(2020, 1, 1)}), date(2024, 1, 1)
    ).target_hearing_date == date(2020, 1, 1)


def _asdict(facts):
    return {name: getattr(facts, name) for name in FACT_NAMES}
