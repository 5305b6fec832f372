"""Pure parole calculations: the 10-month window (exactly 10 months is in), the reading of review data, and the swing
explanation, which must name the same rule as the handover engine for every combination of its inputs."""

import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from casework.calculations.parole import (
    approaching_parole_date,
    parole_window_end,
    review_values_read,
    swing_explain,
)
from handover.calculations import HandoverFacts, calculate
from handover.calculations.explain import REASON_TEXT

TODAY = dt.date(2026, 11, 24)
MAX = {"review_id": 40, "review_type": 80, "review_status": 80, "hearing_outcome": 120}


def test_the_window_ends_10_calendar_months_on_clamped_to_the_months_end():
    assert parole_window_end(TODAY) == dt.date(2027, 9, 24)
    assert parole_window_end(dt.date(2026, 12, 31)) == dt.date(2027, 10, 31)
    assert parole_window_end(dt.date(2027, 4, 30)) == dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("offset", "inside"),
    [
        (relativedelta(days=-1), False),
        (relativedelta(), True),
        (relativedelta(months=10), True),  # exactly 10 months is in
        (relativedelta(months=10, days=1), False),
    ],
)
@pytest.mark.parametrize("kind", ["TED", "PED", "THD"])
def test_each_date_counts_from_today_to_exactly_10_months(kind, offset, inside):
    day = TODAY + offset
    kwargs = {"tariff_expiry": None, "parole_eligibility": None, "target_hearing": None}
    kwargs[{"TED": "tariff_expiry", "PED": "parole_eligibility", "THD": "target_hearing"}[kind]] = day
    assert approaching_parole_date(today=TODAY, **kwargs) == ((kind, day) if inside else None)


def test_the_nearest_date_in_the_window_wins_and_ted_wins_a_tie():
    soon, later = TODAY + relativedelta(months=2), TODAY + relativedelta(months=5)
    assert approaching_parole_date(
        tariff_expiry=later, parole_eligibility=soon, target_hearing=TODAY - relativedelta(days=1), today=TODAY
    ) == ("PED", soon)
    assert approaching_parole_date(tariff_expiry=soon, parole_eligibility=soon, target_hearing=soon, today=TODAY) == (
        "TED",
        soon,
    )


def test_review_data_is_read_with_dates_from_objects_or_iso_strings():
    values, errors = review_values_read(
        {
            "review_id": " 123 ",
            "target_hearing_date": "2027-03-31",
            "hearing_outcome_received_on": TODAY,
            "hearing_outcome": "Release [*]",
        },
        today=TODAY,
        max_lengths=MAX,
    )
    assert errors == {}
    assert values == {
        "review_id": "123",
        "target_hearing_date": dt.date(2027, 3, 31),
        "hearing_outcome_received_on": TODAY,
        "hearing_outcome": "Release [*]",
    }


def test_every_bad_field_is_named():
    _, errors = review_values_read(
        {
            "target_hearing_date": "31/03/2027",
            "custody_report_due": dt.datetime(2027, 1, 1, 9),
            "hearing_outcome_received_on": TODAY + relativedelta(days=1),
            "review_type": "x" * 81,
            "review_status": 7,
            "colour": "blue",
        },
        today=TODAY,
        max_lengths=MAX,
    )
    assert set(errors) == {
        "target_hearing_date",
        "custody_report_due",
        "hearing_outcome_received_on",
        "review_type",
        "review_status",
        "colour",
    }
    assert "future" in errors["hearing_outcome_received_on"]


def _swing(**kwargs):
    values = {
        "indeterminate": True,
        "additional_future_isp": False,
        "target_hearing_date": TODAY + relativedelta(months=12),
        "latest_outcome": "not_release",
        "mappa_level": 1,
        "recalled": False,
        "as_of": TODAY,
        "engine_reason": "indeterminate",
    }
    values.update(kwargs)
    return swing_explain(**values)


def test_a_thd_exactly_12_months_away_counts_and_a_day_less_does_not():
    """D-03: date-only and inclusive."""
    assert _swing().rule == "thd_over_12_months"
    short = _swing(target_hearing_date=TODAY + relativedelta(months=12, days=-1))
    assert short.rule is None
    assert "less than 12 months" in short.summary
    thd_check = next(c for c in short.checks if "12 months" in c.label)
    assert thd_check.met is False
    assert "before 24 November 2027" in thd_check.detail


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({}, "thd_over_12_months"),
        ({"mappa_level": 2}, "parole_mappa_2_3"),
        ({"mappa_level": 3}, "parole_mappa_2_3"),
        ({"recalled": True}, "recall_thd_over_12_months"),
        ({"recalled": True, "mappa_level": None}, "recall_thd_over_12_months"),
        ({"recalled": True, "mappa_level": 3}, "parole_mappa_2_3"),
        ({"latest_outcome": "release"}, None),
        ({"latest_outcome": None}, None),
        ({"additional_future_isp": True}, "additional_isp"),
    ],
)
def test_the_swing_rules_in_order(changes, rule):
    assert _swing(**changes).rule == rule


def test_determinate_cases_are_told_the_swing_rules_do_not_apply():
    result = _swing(indeterminate=False)
    assert (result.applies, result.rule, result.checks) == (False, None, ())
    assert "indeterminate" in result.summary


def test_the_plain_words_of_each_outcome():
    assert "directed release" in _swing(latest_outcome="release").summary
    assert "No parole review" in _swing(latest_outcome=None).summary
    assert "did not release" in _swing(mappa_level=2).summary


@pytest.mark.parametrize(
    ("thd_months", "outcome", "mappa", "recalled", "extra_isp"),
    list(
        itertools.product(
            [11, 12, 20, None], ["release", "not_release", None], [None, 0, 1, 2, 3], [False, True], [False, True]
        )
    ),
)
def test_the_explanation_names_the_engines_rule(thd_months, outcome, mappa, recalled, extra_isp):
    """Whatever the inputs, a swing the explanation names is the reason the engine gives, and when it names none the
    engine's reason is not a swing."""
    thd = None if thd_months is None else TODAY + relativedelta(months=thd_months)
    facts = HandoverFacts(
        sentence_type="indeterminate",
        sentence_start_date=dt.date(2015, 1, 1),
        tariff_expiry_date=dt.date(2026, 1, 1),
        target_hearing_date=thd,
        latest_parole_outcome=outcome,
        mappa_level=mappa,
        recalled=recalled,
        additional_future_isp=extra_isp,
        immigration_case=False,
        age=40,
        prison_estate="mens_closed",
    )
    engine = calculate(facts, TODAY)
    ours = _swing(
        target_hearing_date=thd,
        latest_outcome=outcome,
        mappa_level=mappa,
        recalled=recalled,
        additional_future_isp=extra_isp,
        engine_reason=engine.reason,
    )
    swings = {"additional_isp", "recall_thd_over_12_months", "parole_mappa_2_3", "thd_over_12_months"}
    if ours.rule is not None:
        assert engine.reason == ours.rule
        assert ours.summary == REASON_TEXT[engine.reason]
    else:
        assert engine.reason not in swings
        # The words are the engine's own rule, never a guess at "the general rules".
        assert ours.summary.endswith("The rule that decides instead: " + REASON_TEXT[engine.reason])
        assert "general rules" not in ours.summary
        if recalled:
            assert "A recall: the COM stays responsible." in ours.summary


def _isp_facts(**changes) -> HandoverFacts:
    values = {
        "sentence_type": "indeterminate",
        "sentence_start_date": dt.date(2015, 1, 1),
        "tariff_expiry_date": dt.date(2026, 1, 1),
        "target_hearing_date": TODAY + relativedelta(months=6),
        "latest_parole_outcome": "not_release",
        "mappa_level": 1,
        "recalled": False,
        "additional_future_isp": False,
        "immigration_case": False,
        "age": 40,
        "prison_estate": "mens_closed",
    }
    values.update(changes)
    return HandoverFacts(**values)


def _explained(facts: HandoverFacts):
    engine = calculate(facts, TODAY)
    swing = swing_explain(
        indeterminate=True,
        additional_future_isp=facts.additional_future_isp,
        target_hearing_date=facts.target_hearing_date,
        latest_outcome=facts.latest_parole_outcome,
        mappa_level=facts.mappa_level,
        recalled=facts.recalled,
        as_of=TODAY,
        engine_reason=engine.reason,
    )
    return engine, swing


@pytest.mark.parametrize(
    "changes",
    [
        {},  # the next hearing is under 12 months away
        {"target_hearing_date": TODAY + relativedelta(months=14), "latest_parole_outcome": "release", "mappa_level": 2},
        {"target_hearing_date": TODAY + relativedelta(months=14), "latest_parole_outcome": None, "mappa_level": 3},
    ],
)
def test_a_recalled_isp_without_a_swing_is_explained_as_the_recall_rule(changes):
    engine, swing = _explained(_isp_facts(recalled=True, **changes))
    assert (engine.reason, engine.responsibility, swing.rule) == ("recall_case", "Community", None)
    assert swing.summary.endswith("The rule that decides instead: A recall: the COM stays responsible.")
    assert "general rules" not in swing.summary
    assert "parole window" not in swing.summary


@pytest.mark.parametrize(
    "changes",
    [{}, {"target_hearing_date": TODAY + relativedelta(months=14), "latest_parole_outcome": "release"}],
)
def test_an_immigration_isp_without_a_swing_is_explained_as_the_immigration_rule(changes):
    engine, swing = _explained(_isp_facts(immigration_case=True, **changes))
    assert (engine.reason, engine.responsibility, swing.rule) == ("immigration_case", "Community", None)
    assert swing.summary.endswith("The rule that decides instead: An immigration case: the COM is responsible.")
    assert "general rules" not in swing.summary


def test_an_ordinary_isp_without_a_swing_names_the_indeterminate_rule():
    engine, swing = _explained(_isp_facts())
    assert engine.reason == "indeterminate"
    assert swing.summary == (
        "The next hearing is less than 12 months away (or not known), so no parole swing rule applies. "
        "The rule that decides instead: " + REASON_TEXT["indeterminate"]
    )


def test_without_a_calculated_handover_the_deciding_rule_is_said_to_be_unknown():
    assert "not known yet" in _swing(target_hearing_date=None, engine_reason=None).summary


_dates = st.one_of(st.none(), st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2028, 12, 31)))


@given(
    today=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)), ted=_dates, ped=_dates, thd=_dates
)
def test_the_approaching_date_is_the_earliest_date_inside_the_window(today, ted, ped, thd):
    found = approaching_parole_date(tariff_expiry=ted, parole_eligibility=ped, target_hearing=thd, today=today)
    inside = [d for d in (ted, ped, thd) if d is not None and today <= d <= today + relativedelta(months=10)]
    if not inside:
        assert found is None
    else:
        kind, day = found
        assert day == min(inside)
        assert day == {"TED": ted, "PED": ped, "THD": thd}[kind]
