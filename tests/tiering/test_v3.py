"""V3 (A–G): the predictor table, DC-SRP, MAPPA/RoSH, lifer release, registrations and the provisional flag
(keywork-tier-reference.md 2.5; DECISIONS.md D-21)."""

import datetime as dt
from decimal import Decimal

import pytest

from tiering.calculations import InputError, calculate_v3, parse_v3_input
from tiering.calculations.v3 import dcsrp_tier, lifer_tier, predictor_table

CSRP_ROWS = [6.9, 3.0, 1.0, 0.5, 0.0]
ARP_COLUMNS = [90, 75, 50, 25, 15, 0]
TABLE = ["AABBBB", "ABCCCC", "BCDEEE", "CDEEFF", "DDEFFG"]


def v3(**fields):
    return calculate_v3(parse_v3_input({"rosh": "MEDIUM", **fields}))


@pytest.mark.parametrize("row", range(5))
@pytest.mark.parametrize("column", range(6))
def test_every_cell_of_the_predictor_table_and_just_below_its_edges(row, column):
    csrp, arp = CSRP_ROWS[row], ARP_COLUMNS[column]
    assert v3(arp=arp, csrp=csrp).tier == TABLE[row][column]
    if row < 4:  # just below the CSRP threshold falls to the next row
        below = Decimal(str(csrp)) - Decimal("0.01")
        assert predictor_table(Decimal(arp), below) == TABLE[row + 1][column]
    if column < 5:
        below = Decimal(arp) - Decimal("0.01")
        assert predictor_table(below, Decimal(str(csrp))) == TABLE[row][column + 1]


@pytest.mark.parametrize(
    ("score", "band", "tier"),
    [
        (5.0, "VERY_HIGH", "A"),
        (0.1, "HIGH", "B"),
        (3.36, "MEDIUM", "C"),
        (3.35, "MEDIUM", "D"),
        (2.11, "MEDIUM", "D"),
        (2.10, "MEDIUM", "C"),
        (1.12, "MEDIUM", "C"),
        (1.11, "MEDIUM", "D"),
        (0.60, "MEDIUM", "D"),
        (0.59, "MEDIUM", None),  # D-21
        (0.5, "LOW", "E"),
        (0, "VERY_HIGH", None),
        (-1, "HIGH", None),
        (2.0, None, None),
        (2.0, "NOT_APPLICABLE", None),
        (None, "HIGH", None),
    ],
)
def test_dcsrp_bands(score, band, tier):
    assert dcsrp_tier(None if score is None else Decimal(str(score)), band) == tier


@pytest.mark.parametrize(
    ("mappa", "rosh", "tier"),
    [
        (True, "VERY_HIGH", "A"),
        (True, "HIGH", "C"),
        (True, "MEDIUM", "D"),
        (True, "LOW", "E"),
        (True, None, "E"),
        (False, "VERY_HIGH", "C"),
        (False, "HIGH", "D"),
        (False, "MEDIUM", "G"),
        (False, "LOW", "G"),
    ],
)
def test_mappa_and_rosh(mappa, rosh, tier):
    assert calculate_v3(parse_v3_input({"mappa": mappa, "rosh": rosh})).tier == tier


TODAY = dt.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("release", "tier"),
    [
        (None, None),
        (dt.date(2027, 1, 1), "B"),  # in the future: as released within a year (D-21)
        (dt.date(2026, 9, 1), "B"),
        (dt.date(2025, 9, 1), "B"),
        (dt.date(2025, 8, 31), "D"),
        (dt.date(2021, 9, 1), "D"),
        (dt.date(2021, 8, 31), "E"),
    ],
)
def test_lifer_release_boundaries(release, tier):
    assert lifer_tier(True, release, TODAY) == tier
    assert lifer_tier(False, release, TODAY) is None


def test_lifer_year_clamps_on_29_february():
    assert lifer_tier(True, dt.date(2024, 2, 28), dt.date(2025, 2, 28)) == "B"
    assert lifer_tier(True, dt.date(2024, 2, 28), dt.date(2025, 3, 1)) == "D"


@pytest.mark.parametrize(
    ("fields", "tier"),
    [
        ({"domestic_abuse": True}, "E"),
        ({"stalking": True}, "F"),
        ({"child_protection": True}, "F"),
        ({"ever_sexual_offence": True}, "E"),
        ({"stalking": True, "domestic_abuse": True}, "E"),
    ],
)
def test_registrations(fields, tier):
    assert v3(**fields).tier == tier


def test_the_highest_step_wins():
    result = v3(arp=25, csrp=1.0, stalking=True, mappa=True, rosh="HIGH")
    assert result.tier == "C"
    assert ("MAPPA and RoSH", "C") in result.breakdown


def test_no_active_event_and_missing_predictors():
    assert v3(active_event=False).as_output() == {"tier": "NOT_SUPERVISED", "provisional": False}
    assert v3(oasys_present=False).as_output() == {"tier": "MISSING", "provisional": False}


@pytest.mark.parametrize(
    ("fields", "provisional"),
    [
        ({"arp": 0, "csrp": 0.5, "arp_type": "STATIC"}, True),
        # Other steps reach C, the best the table could give with CSRP 0.5 whatever the ARP: not provisional.
        ({"arp": 0, "csrp": 0.5, "arp_type": "STATIC", "mappa": True, "rosh": "HIGH"}, False),
        ({"arp": 0, "csrp": 0.5, "arp_type": "STATIC", "mappa": True, "rosh": "MEDIUM"}, True),
        ({"arp": 90, "csrp": 0, "csrp_type": "STATIC"}, True),
        ({"arp": 90, "csrp": 0, "csrp_type": "STATIC", "dcsrp": {"score": 5, "band": "VERY_HIGH"}}, False),
        ({"arp_type": "STATIC", "csrp_type": "STATIC", "dcsrp": {"score": 5, "band": "HIGH"}}, True),
        ({"arp_type": "STATIC", "csrp_type": "STATIC", "dcsrp": {"score": 5, "band": "VERY_HIGH"}}, False),
        ({"arp": 0, "csrp": 0}, False),
    ],
)
def test_provisional_for_static_predictors(fields, provisional):
    assert v3(**fields).provisional is provisional


@pytest.mark.parametrize(
    ("fields", "provisional"),
    [
        ({}, True),
        ({"arp": 50, "csrp": 3.0}, False),  # dynamic predictors give C
        ({"arp": 50, "csrp": 1.0}, True),  # D is not enough without MAPPA
        ({"arp": 50, "csrp": 3.0, "arp_type": "STATIC"}, True),  # static predictors do not count
        ({"dcsrp": {"score": 3.4, "band": "MEDIUM"}}, False),  # DC-SRP gives C
        ({"lifer_ipp": True, "latest_release_date": "2026-03-01"}, False),  # lifer B
        ({"mappa": True, "arp": 50, "csrp": 3.0}, True),  # a MAPPA case needs A
        ({"mappa": True, "arp": 90, "csrp": 3.0}, False),
        ({"mappa": True, "dcsrp": {"score": 5, "band": "VERY_HIGH"}}, False),
    ],
)
def test_provisional_for_missing_rosh(fields, provisional):
    assert calculate_v3(parse_v3_input({"rosh": None, **fields})).provisional is provisional


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"arp": "high"}, "arp"),
        ({"csrp": -0.1}, "csrp"),
        ({"arp_type": "dynamic"}, "arp_type"),
        ({"rosh": "VERY HIGH"}, "rosh"),
        ({"mappa": "M2"}, "mappa"),
        ({"dcsrp": 1.2}, "dcsrp"),
        ({"dcsrp": {"score": "x", "band": "LOW"}}, "dcsrp.score"),
        ({"dcsrp": {"score": 1, "band": "SEVERE"}}, "dcsrp.band"),
        ({"latest_release_date": "01/09/2025"}, "latest_release_date"),
        ({"latest_release_date": "2025-02-30"}, "latest_release_date"),
        ({"calculation_date": None}, "calculation_date"),
        ({"active_event": 1}, "active_event"),
    ],
)
def test_bad_fields_are_named(fields, field):
    with pytest.raises(InputError) as error:
        parse_v3_input(fields)
    assert str(error.value).startswith(field + ":")
