"""The pure allocation calculations: weights, weighted load, load per FTE, the ranking and days waiting."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocation.calculations import (
    CO_WORKING,
    RESPONSIBLE,
    SUPPORTING,
    CaseMix,
    PomCandidate,
    days_waiting,
    load_per_fte,
    pom_role_for,
    rank_poms,
    weighted_load,
    workload_weights,
)

W = workload_weights()


def test_documented_defaults():
    assert W.weight(role=RESPONSIBLE, tier="A") == Decimal("1.5")
    assert W.weight(role=SUPPORTING, tier="D") == Decimal("0.5")
    assert W.weight(role=CO_WORKING, tier="A") == Decimal("0.75")  # half a responsible tier A case
    assert W.weight(role=RESPONSIBLE, tier="") == W.weight(role=RESPONSIBLE, tier="C")


def test_a_responsible_tier_a_case_counts_more_than_a_supporting_tier_d_case():
    assert W.weight(role=RESPONSIBLE, tier="A") > W.weight(role=SUPPORTING, tier="D")


def test_the_setting_overrides_tier_by_tier():
    weights = workload_weights({"responsible": {"A": 3}, "co_working_factor": "0.25"})
    assert weights.weight(role=RESPONSIBLE, tier="A") == Decimal("3")
    assert weights.weight(role=RESPONSIBLE, tier="B") == Decimal("1.25")
    assert weights.weight(role=CO_WORKING, tier="A") == Decimal("0.75")


@pytest.mark.parametrize("bad", [{"responsible": {"Z": 1}}, {"supporting": {"A": -1}}, {"unknown_tier": "Q"}], ids=str)
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        workload_weights(bad)


def test_weighted_load_sums_the_case_weights():
    mix = CaseMix()
    mix.add(role=RESPONSIBLE, tier="A", n=2)  # 3.0
    mix.add(role=SUPPORTING, tier="D")  # 0.5
    mix.add(role=CO_WORKING, tier="C")  # 0.5
    assert weighted_load(mix, weights=W) == Decimal("4.00")
    assert weighted_load([(RESPONSIBLE, "A"), (RESPONSIBLE, "A"), (SUPPORTING, "D"), (CO_WORKING, "C")], weights=W) == 4
    assert mix.total == 4
    assert mix.by_role() == {RESPONSIBLE: 2, SUPPORTING: 1, CO_WORKING: 1}
    assert mix.by_tier()["A"] == 2


def test_load_per_fte():
    assert load_per_fte(Decimal("10"), Decimal("0.5")) == Decimal("20.00")
    assert load_per_fte(Decimal("7"), Decimal("1.0")) == Decimal("7.00")
    with pytest.raises(ValueError):
        load_per_fte(Decimal("1"), Decimal("0"))


@given(
    st.lists(st.tuples(st.sampled_from([RESPONSIBLE, SUPPORTING, CO_WORKING]), st.sampled_from("ABCDEFG")), max_size=40)
)
def test_adding_a_case_never_lowers_the_load(cases):
    before = weighted_load(cases, weights=W)
    assert weighted_load([*cases, (SUPPORTING, "G")], weights=W) >= before
    assert before >= 0


def test_pom_role_for():
    assert pom_role_for(allocation_role="co_working", responsibility="CustodyOnly") == CO_WORKING
    assert pom_role_for(allocation_role="primary", responsibility="Community") == SUPPORTING
    assert pom_role_for(allocation_role="primary", responsibility="CustodyWithCom") == RESPONSIBLE
    assert pom_role_for(allocation_role="primary", responsibility="") == RESPONSIBLE


def _c(pom_id, name, pom_type="prison", load="10", fte="1.0", status="active"):
    return PomCandidate(pom_id, name, pom_type, status, Decimal(fte), Decimal(load))


def test_ranking_continuity_then_type_then_headroom_with_reasons():
    candidates = [
        _c(1, "Heavy prison", load="30"),
        _c(2, "Light prison", load="5"),
        _c(3, "Light probation", "probation", load="1"),
        _c(4, "Previous, heavy probation", "probation", load="40"),
        _c(5, "Part-time prison", load="4", fte="0.2"),  # 20 per FTE
        _c(6, "Away", load="0", status="away"),
    ]
    ranked = rank_poms(candidates, recommended_type="prison", previous_pom_ids=[4])
    assert [r.candidate.pom_id for r in ranked] == [4, 2, 5, 1, 3]
    assert ranked[0].reasons[0] == "Has worked with this prisoner before (continuity)"
    assert "not the recommended type" in ranked[0].reasons[1]
    assert ranked[1].reasons == ("Is a prison POM, the recommended type", "Weighted load 5 at 1.0 FTE: 5.00 per FTE")
    assert ranked[2].per_fte == Decimal("20.00")
    assert ranked[-1].reasons[-1].endswith("(the lightest)")
    assert [r.rank for r in ranked] == [1, 2, 3, 4, 5]


def test_with_no_recommended_type_headroom_decides():
    ranked = rank_poms([_c(1, "B", load="9"), _c(2, "A", "probation", load="3")], recommended_type="none")
    assert [r.candidate.pom_id for r in ranked] == [2, 1]
    assert all(r.type_match is None for r in ranked)


def test_days_waiting_counts_from_the_later_of_arrival_and_deallocation():
    today = dt.date(2026, 11, 24)
    assert days_waiting(arrival=dt.date(2026, 11, 1), last_deallocated=None, today=today) == 23
    assert days_waiting(arrival=dt.date(2026, 1, 1), last_deallocated=dt.date(2026, 11, 20), today=today) == 4
    assert days_waiting(arrival=None, last_deallocated=None, today=today) is None
    assert days_waiting(arrival=dt.date(2026, 12, 1), last_deallocated=None, today=today) == 0
