"""The POM-type strategies (DECISIONS.md D-08, D-21; keywork-tier-reference.md 2.7) and the configured selector."""

import pytest

from tiering.calculations import InputError, PomTypeInput
from tiering.calculations.pom_type import parse_pom_type_input, recommend_by_rosh, recommend_by_tier
from tiering.selectors import recommended_pom_type


@pytest.mark.parametrize(
    ("tier", "responsible", "immigration", "expected"),
    [
        ("A", True, False, "probation"),
        ("B", True, False, "probation"),
        ("C", True, False, "prison"),
        ("D", True, False, "prison"),
        ("E", True, False, "none"),
        ("G", True, False, "none"),
        (None, True, False, "none"),
        ("A", False, False, "prison"),
        ("E", False, False, "prison"),
        (None, False, False, "prison"),
        ("A", True, True, "prison"),
        ("G", True, True, "prison"),
        (None, True, True, "prison"),
    ],
)
def test_tier_strategy(tier, responsible, immigration, expected):
    result = recommend_by_tier(PomTypeInput(tier=tier, pom_responsible=responsible, immigration_case=immigration))
    assert result.pom_type == expected
    assert result.reason


@pytest.mark.parametrize(
    ("tier", "rosh", "responsible", "immigration", "expected"),
    [
        ("A", None, True, False, "probation"),
        ("A", "LOW", True, False, "probation"),
        ("D", "VERY_HIGH", True, False, "probation"),
        ("C", "HIGH", True, False, "probation"),
        ("B", "MEDIUM", True, False, "prison"),
        ("B", "LOW", True, False, "prison"),
        ("B", None, True, False, "none"),
        ("A", "HIGH", False, False, "prison"),
        ("A", "HIGH", True, True, "prison"),
    ],
)
def test_rosh_strategy(tier, rosh, responsible, immigration, expected):
    inp = PomTypeInput(tier=tier, rosh_level=rosh, pom_responsible=responsible, immigration_case=immigration)
    assert recommend_by_rosh(inp).pom_type == expected


@pytest.mark.parametrize(("given", "letter"), [("B2S", "B"), ("a", "A"), ("D0", "D"), ("", None), ("MISSING", None)])
def test_tier_is_read_by_its_letter(given, letter):
    assert parse_pom_type_input({"tier": given}, with_rosh=False).tier == letter


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tier": "H"}, "tier"),
        ({"tier": 1}, "tier"),
        ({"tier": "E2"}, "tier"),
        ({"pom_responsible": "yes"}, "pom_responsible"),
        ({"immigration_case": None}, "immigration_case"),
        ({"rosh_level": "SEVERE"}, "rosh_level"),
    ],
)
def test_bad_fields_are_named(fields, field):
    with pytest.raises(InputError) as error:
        parse_pom_type_input(fields, with_rosh=True)
    assert str(error.value).startswith(field + ":")


def test_the_selector_uses_the_tier_strategy_by_default(settings):
    assert settings.POM_TYPE_STRATEGY == "tier"
    pom_type, reason = recommended_pom_type(tier="B", pom_responsible=True, immigration_case=False, rosh_level="low")
    assert pom_type == "probation"
    assert "D-08" in reason
    assert recommended_pom_type(tier="", pom_responsible=True, immigration_case=False)[0] == "none"
    assert recommended_pom_type(tier="nonsense", pom_responsible=False, immigration_case=False)[0] == "prison"


def test_the_selector_follows_the_strategy_setting(settings):
    settings.POM_TYPE_STRATEGY = "rosh"
    assert recommended_pom_type(tier="B", pom_responsible=True, immigration_case=False, rosh_level="low")[0] == "prison"
    assert recommended_pom_type(tier="C", pom_responsible=True, immigration_case=False, rosh_level="high")[0] == (
        "probation"
    )
    assert recommended_pom_type(tier="C", pom_responsible=True, immigration_case=False, rosh_level="")[0] == "none"
