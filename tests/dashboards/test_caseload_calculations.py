"""The caseload's pure rules: tab membership at the edges of each window, the parole date, search and sorting."""

import datetime as dt
from types import SimpleNamespace

import pytest

from dashboards.caseload_calculations import CaseFacts, matches_search, parole_date, sort_key, tabs_of
from dashboards.profile_calculations import CaseState, next_actions

TODAY = dt.date(2026, 11, 24)


def facts(**kw):
    base = {
        "allocated_on": TODAY - dt.timedelta(days=100),
        "responsibility": "CustodyOnly",
        "handover_date": None,
        "earliest_release_date": None,
        "parole_date": None,
        "next_task_due": None,
    }
    return CaseFacts(**{**base, **kw})


@pytest.mark.parametrize(("days_ago", "new"), [(0, True), (6, True), (7, False), (-1, False)])
def test_new_means_allocated_today_or_in_the_6_days_before(days_ago, new):
    assert ("new" in tabs_of(facts(allocated_on=TODAY - dt.timedelta(days=days_ago)), today=TODAY)) is new


@pytest.mark.parametrize(("days", "on"), [(-1, False), (0, True), (28, True), (29, False)])
def test_releases_are_the_next_4_weeks_inclusive(days, on):
    release = TODAY + dt.timedelta(days=days)
    assert ("releases" in tabs_of(facts(earliest_release_date=release), today=TODAY)) is on


@pytest.mark.parametrize(
    ("responsibility", "days", "on"),
    [
        ("CustodyOnly", 56, True),
        ("CustodyOnly", 57, False),
        ("CustodyOnly", -1, False),
        ("CustodyWithCom", None, True),
        ("Community", -200, True),
        ("Community", None, False),
        ("", 10, False),
    ],
)
def test_handovers_tab_matches_the_handover_lists(responsibility, days, on):
    handover = None if days is None else TODAY + dt.timedelta(days=days)
    case = facts(responsibility=responsibility, handover_date=handover)
    assert ("handovers" in tabs_of(case, today=TODAY)) is on


@pytest.mark.parametrize(("days", "on"), [(-30, True), (28, True), (29, False)])
def test_tasks_tab_is_overdue_or_due_in_4_weeks(days, on):
    assert ("tasks" in tabs_of(facts(next_task_due=TODAY + dt.timedelta(days=days)), today=TODAY)) is on


def test_parole_date_is_the_nearest_within_10_months_inclusive_with_month_end_clamping():
    today = dt.date(2026, 12, 31)
    edge = dt.date(2027, 10, 31)  # 31 December + 10 months
    assert parole_date(today=today, ted=None, ped=edge, thd=None) == (edge, "PED")
    assert parole_date(today=today, ted=None, ped=edge + dt.timedelta(days=1), thd=None) == (None, "")
    assert parole_date(today=today, ted=None, ped=today - dt.timedelta(days=1), thd=None) == (None, "")
    near = today + dt.timedelta(days=40)
    assert parole_date(today=today, ted=edge, ped=near, thd=near + dt.timedelta(days=1)) == (near, "PED")
    assert parole_date(today=today, ted=near, ped=near, thd=near) == (near, "TED")
    assert parole_date(today=dt.date(2026, 4, 30), ted=None, ped=None, thd=dt.date(2027, 2, 28)) == (
        dt.date(2027, 2, 28),
        "THD",
    )


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("", True),
        ("a1234", True),
        ("A1234BC", True),
        ("B1234", False),
        ("smi", True),
        ("john smith", True),
        ("SMITH jo", True),
        ("smith bob", False),
    ],
)
def test_search_by_prison_number_start_or_every_name_word(term, found):
    assert matches_search(term=term, prison_number="A1234BC", first_name="John", last_name="Smith") is found


def _row(name, **kw):
    prisoner = SimpleNamespace(last_name=name, first_name="A", prison_number=name.upper()[:7])
    base = {
        "tier": "",
        "role": "responsible",
        "handover_date": None,
        "earliest_release_date": None,
        "next_task_due": None,
        "alerts": [],
    }
    return SimpleNamespace(prisoner=prisoner, **{**base, **kw})


def test_sorting_puts_blank_dates_last_and_most_alerts_first():
    a = _row("Able", handover_date=TODAY)
    b = _row("Baker")
    c = _row("Cole", handover_date=TODAY - dt.timedelta(days=3), alerts=[1, 2])
    assert [r.prisoner.last_name for r in sorted([a, b, c], key=sort_key("handover"))] == ["Cole", "Able", "Baker"]
    assert [r.prisoner.last_name for r in sorted([a, b, c], key=sort_key("alerts"))] == ["Cole", "Able", "Baker"]
    assert [r.prisoner.last_name for r in sorted([c, b, a], key=sort_key("nonsense"))] == ["Able", "Baker", "Cole"]


def test_next_actions_put_allocation_first_then_by_due_date_and_name_who_acts():
    state = CaseState(
        pom_name="",
        missing_details=False,
        handover_next_step="",
        next_task_what="Complete the initial OASys",
        next_task_due=TODAY + dt.timedelta(days=5),
        next_task_owner="pom",
        alerts=(("Handover date reached", TODAY - dt.timedelta(days=1)),),
    )
    actions = next_actions(state, today=TODAY)
    assert [(a.who, a.link) for a in actions] == [("HOMD", "allocation"), ("POM", "alerts"), ("POM", "case_tasks")]
    assert actions[1].overdue(TODAY)
    assert not actions[2].overdue(TODAY)


def test_missing_details_come_before_allocation_and_a_com_task_names_the_com():
    state = CaseState(
        pom_name="Priya Shah",
        missing_details=True,
        handover_next_step="Finish the handover checklist: 0 of 2 tasks done.",
        next_task_what="Complete the initial OASys",
        next_task_due=TODAY,
        next_task_owner="com",
        early_allocation_code="awaiting_community_decision",
    )
    actions = next_actions(state, today=TODAY)
    assert actions[0].who == "Case administrator or HOMD"
    assert ("POM (Priya Shah)", "handover_checklist") in [(a.who, a.link) for a in actions]
    assert ("COM", "case_tasks") in [(a.who, a.link) for a in actions]
    assert ("POM (Priya Shah)", "early_allocation") in [(a.who, a.link) for a in actions]


def test_nothing_due_means_no_actions():
    assert next_actions(CaseState(pom_name="P", missing_details=False, handover_next_step=""), today=TODAY) == []
