"""V2: protect A–D and change 0–3 (keywork-tier-reference.md 2.3, 2.4; DECISIONS.md D-21), boundary by boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tiering.calculations import InputError, calculate_v2, parse_v2_input
from tiering.calculations.v2 import COMPLEXITY_FACTORS, NEEDS, change_level, protect_level, rsr_points


def v2(**fields):
    return calculate_v2(parse_v2_input(fields))


@pytest.mark.parametrize(
    ("rsr", "points"),
    [
        (None, 0),
        (0, 0),
        (2.99, 0),
        (3, 10),
        (3.00, 10),
        (6.99, 10),
        (6.999, 10),
        (7, 20),
        (7.00, 20),
        (23, 20),
        (99.99, 20),
        (99.991, 0),
        (100, 0),
        (999.99, 0),
        (-1, 0),
    ],
)
def test_rsr_bands_d21(rsr, points):
    assert rsr_points(None if rsr is None else Decimal(str(rsr))) == points
    assert v2(rsr=rsr).protect_points == points


@pytest.mark.parametrize(("rosh", "points"), [(None, 0), ("LOW", 0), ("MEDIUM", 10), ("HIGH", 20), ("VERY_HIGH", 150)])
def test_rosh_points(rosh, points):
    assert v2(rosh=rosh).protect_points == points


@pytest.mark.parametrize(("rsr", "rosh", "points"), [(7, "MEDIUM", 20), (3, "HIGH", 20), (7, "VERY_HIGH", 150)])
def test_only_the_higher_of_rsr_and_rosh_counts(rsr, rosh, points):
    assert v2(rsr=rsr, rosh=rosh).protect_points == points


@pytest.mark.parametrize(("level", "points"), [(None, 0), ("M0", 0), ("M1", 5), ("M2", 150), ("M3", 150)])
def test_mappa_points(level, points):
    assert v2(mappa_level=level).protect_points == points


@pytest.mark.parametrize(
    ("points", "level"), [(0, "D"), (9, "D"), (10, "C"), (19, "C"), (20, "B"), (149, "B"), (150, "A"), (300, "A")]
)
def test_protect_band_edges(points, level):
    assert protect_level(points) == level


@pytest.mark.parametrize(("points", "level"), [(0, 1), (9, 1), (10, 2), (19, 2), (20, 3), (40, 3)])
def test_change_band_edges(points, level):
    assert change_level(points) == level


def test_complexity_factors_score_two_each_distinct_and_only_the_ten():
    assert v2(complexity_registrations=["RMDO"]).protect_points == 2
    assert v2(complexity_registrations=["RMDO", "RMDO", "ALSH"]).protect_points == 4
    assert v2(complexity_registrations=["ADVP", "SPO", "IIOM", "HREG"]).protect_points == 0
    everything = v2(complexity_registrations=list(COMPLEXITY_FACTORS))
    assert everything.protect_points == 20
    assert everything.protect == "B"


def test_four_complexity_factors_and_m1_make_13_points_c():
    result = v2(mappa_level="M1", complexity_registrations=["RMDO", "ALSH", "RVLN", "RCCO"])
    assert (result.protect_points, result.protect) == (13, "C")


@pytest.mark.parametrize(
    ("factors", "points"),
    [
        ({"parenting_responsibilities": True}, 2),
        ({"impulsivity": 1}, 2),
        ({"temper_control": 2}, 2),
        ({"impulsivity": 2, "temper_control": 1}, 2),  # counted once, not added
        ({"parenting_responsibilities": True, "impulsivity": 1, "temper_control": 1}, 4),
        ({"impulsivity": 0, "temper_control": 0}, 0),
    ],
)
def test_womens_factors(factors, points):
    assert v2(gender="female", women_factors=factors).protect_points == points
    assert v2(gender="male", women_factors=factors).protect_points == 0


def test_the_largest_total_below_a_is_51():
    result = v2(
        gender="female",
        rosh="HIGH",
        mappa_level="M1",
        complexity_registrations=list(COMPLEXITY_FACTORS),
        women_factors={"parenting_responsibilities": True, "impulsivity": 2, "temper_control": 2},
        previous_enforcement_activity=True,
    )
    assert (result.protect_points, result.protect) == (51, "B")


@pytest.mark.parametrize(
    ("convictions", "mandate"),
    [
        ([{"sentence_type": "SC"}], True),
        ([{"sentence_type": "NC"}], True),
        ([{"sentence_type": "SC", "terminated": True}], False),
        ([{"sentence_type": "SP", "requirements": [{"main_category": "X", "restrictive": False}]}], True),
        ([{"sentence_type": "SP", "requirements": [{"main_category": "X", "restrictive": True}]}], False),
        ([{"sentence_type": "SP", "requirements": [{"main_category": "W"}, {"main_category": "W1"}]}], False),
        ([{"sentence_type": "SP", "requirements": [{"main_category": "W"}, {"main_category": "F"}]}], True),
        ([{"sentence_type": "SP", "requirements": []}], False),
        ([{"sentence_type": "SP", "terminated": True, "requirements": [{"main_category": "F"}]}], False),
        ([{"sentence_type": "SC", "terminated": True}, {"sentence_type": "SP"}], False),
        ([{"sentence_type": "SC", "terminated": True}, {"sentence_type": "NC"}], True),
        ([], False),
    ],
)
def test_mandate_for_change(convictions, mandate):
    result = v2(convictions=convictions, ogrs=100)
    if mandate:
        assert result.change == 2
        assert result.change_points == 10
    else:
        assert (result.change, result.change_points) == (0, 0)


def test_no_assessment_gives_change_2_with_no_points():
    result = v2(assessment=None, ogrs=100, iom_nominal=True)
    assert (result.change, result.change_points) == (2, 0)


def test_no_mandate_beats_no_assessment():
    assert v2(assessment=None, convictions=[]).change == 0


@pytest.mark.parametrize(("ogrs", "points"), [(None, 0), (0, 0), (9, 0), (10, 1), (59, 5), (99, 9), (100, 10)])
def test_ogrs_tenths(ogrs, points):
    assert v2(ogrs=ogrs).change_points == points


def test_needs_weights_and_severity():
    for need, (weight, _) in NEEDS.items():
        assert v2(assessment={"needs": {need: "STANDARD"}}).change_points == weight
        assert v2(assessment={"needs": {need: "SEVERE"}}).change_points == 2 * weight
        assert v2(assessment={"needs": {need: "NO_NEED"}}).change_points == 0


def test_change_edges_through_needs_ogrs_and_iom():
    # 8 (two severe weight-2 needs) + 2 (IOM) = 10 -> 2; one point less -> 1.
    needs = {"THINKING_AND_BEHAVIOUR": "SEVERE", "ATTITUDES": "SEVERE"}
    assert v2(assessment={"needs": needs}, iom_nominal=True).change == 2
    assert v2(assessment={"needs": {**needs, "ATTITUDES": "STANDARD"}}, iom_nominal=True).change_points == 8
    assert v2(assessment={"needs": {**needs, "ATTITUDES": "STANDARD"}}, iom_nominal=True).change == 1


def test_tier_score_and_s_suffix():
    assert v2().tier_score == "D1"
    assert v2(unsupervised_prc=True).tier_score == "D1S"
    assert v2(rsr=23, unsupervised_prc=True, assessment=None).tier_score == "B2S"
    assert v2(convictions=[], unsupervised_prc=True).tier_score == "D0S"


def test_breakdown_explains_the_points():
    result = v2(rsr=8, rosh="MEDIUM", mappa_level="M1", ogrs=35, iom_nominal=True)
    assert sum(p for f, p in result.breakdown if f.startswith("Protect")) == result.protect_points == 25
    assert sum(p for f, p in result.breakdown if f.startswith("Change")) == result.change_points == 5
    assert any("RSR" in factor for factor, _ in result.breakdown)
    assert not any(factor.startswith("Protect: RoSH") for factor, _ in result.breakdown)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rsr": "high"}, "rsr"),
        ({"rsr": True}, "rsr"),
        ({"ogrs": 2.5}, "ogrs"),
        ({"ogrs": "10"}, "ogrs"),
        ({"ogrs": -1}, "ogrs"),
        ({"rosh": "SEVERE"}, "rosh"),
        ({"mappa_level": 2}, "mappa_level"),
        ({"mappa_level": "M4"}, "mappa_level"),
        ({"gender": "unknown"}, "gender"),
        ({"iom_nominal": "yes"}, "iom_nominal"),
        ({"complexity_registrations": "RMDO"}, "complexity_registrations"),
        ({"complexity_registrations": [1]}, "complexity_registrations[0]"),
        ({"women_factors": {"impulsivity": 3}}, "women_factors.impulsivity"),
        ({"women_factors": []}, "women_factors"),
        ({"convictions": {}}, "convictions"),
        ({"convictions": [{"sentence_type": 1}]}, "convictions[0].sentence_type"),
        ({"convictions": [{"sentence_type": "SP", "requirements": [{"restrictive": "no"}]}]}, "convictions[0]"),
        ({"assessment": {"needs": {"HOUSING": "SEVERE"}}}, "assessment.needs.HOUSING"),
        ({"assessment": {"needs": {"ATTITUDES": "HIGH"}}}, "assessment.needs.ATTITUDES"),
        ({"assessment": []}, "assessment"),
    ],
)
def test_bad_fields_are_named(fields, field):
    with pytest.raises(InputError) as error:
        parse_v2_input(fields)
    assert str(error.value).startswith(field)


@given(
    rsr=st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=2)),
    rosh=st.sampled_from([None, "LOW", "MEDIUM", "HIGH", "VERY_HIGH"]),
    mappa=st.sampled_from([None, "M1", "M2", "M3"]),
    codes=st.lists(st.sampled_from([*COMPLEXITY_FACTORS, "ADVP", "IIOM"]), max_size=12),
    ogrs=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    prc=st.booleans(),
)
def test_invariants(rsr, rosh, mappa, codes, ogrs, prc):
    result = v2(
        rsr=None if rsr is None else float(rsr),
        rosh=rosh,
        mappa_level=mappa,
        complexity_registrations=codes,
        ogrs=ogrs,
        unsupervised_prc=prc,
    )
    assert result.protect == protect_level(result.protect_points)
    assert result.tier_score == f"{result.protect}{result.change}{'S' if prc else ''}"
    assert result.protect_points == sum(p for f, p in result.breakdown if f.startswith("Protect"))
    # Adding a very high RoSH can only raise the protect level, to A.
    assert v2(rsr=None if rsr is None else float(rsr), rosh="VERY_HIGH", mappa_level=mappa).protect == "A"
