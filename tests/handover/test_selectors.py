"""The handover lists: which case is on which list, whose cases, the counts, and the queries they take."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from cases.models import PomAllocation
from handover.selectors import (
    SORTS,
    TABS,
    HandoverScope,
    alert_list,
    community_pipeline_list,
    community_pipeline_summary,
    handover_counts,
    handover_list,
    handover_panel_for_prisoner,
)
from tests.factories import LocalDeliveryUnitFactory, PomProfileFactory
from tests.factories.handover import AlertFactory, HandoverChecklistFactory, ResponsibilityOverrideFactory
from tests.handover.pages_setup import COMMUNITY, CUSTODY_ONLY, CUSTODY_WITH_COM, TODAY, make_case

pytestmark = pytest.mark.django_db


def lists_of(prisoner, prison, today=TODAY) -> set[str]:
    scope = HandoverScope(prison=prison)
    return {tab for tab in TABS if handover_list(scope=scope, tab=tab, today=today).filter(prisoner=prisoner).exists()}


@pytest.mark.parametrize(
    ("days", "responsibility", "com", "expected"),
    [
        (30, CUSTODY_ONLY, False, {"upcoming"}),
        (0, CUSTODY_ONLY, False, {"upcoming"}),
        (56, CUSTODY_ONLY, False, {"upcoming"}),
        (57, CUSTODY_ONLY, False, set()),
        (30, CUSTODY_ONLY, True, {"in_progress"}),  # upcoming with a COM already: in progress
        (57, CUSTODY_ONLY, True, set()),
        (30, CUSTODY_WITH_COM, True, {"in_progress"}),
        (-10, COMMUNITY, True, {"in_progress"}),
        (-1, COMMUNITY, False, {"in_progress", "overdue_tasks"}),
        (-2, COMMUNITY, False, {"in_progress", "overdue_tasks", "com_overdue"}),
    ],
)
def test_each_case_is_on_the_lists_its_dates_say(prison, days, responsibility, com, expected):
    prisoner = make_case(prison=prison, days=days, responsibility=responsibility, com=com)
    if "in_progress" in expected and "overdue_tasks" not in expected:
        HandoverChecklistFactory(prisoner=prisoner, contacted_com=True, sent_handover_report=True)
    assert lists_of(prisoner, prison) == expected


def test_short_sentences_and_cases_outside_omic_are_on_no_list(prison):
    short = make_case(prison=prison, days=None, responsibility=COMMUNITY, reason="determinate_short")
    outside = make_case(prison=prison, days=10, responsibility="", inside_omic_policy=False)
    assert lists_of(short, prison) == set()
    assert lists_of(outside, prison) == set()


def test_an_override_puts_a_pom_case_in_progress_and_out_of_upcoming(prison):
    prisoner = make_case(prison=prison, days=30, responsibility=CUSTODY_ONLY)
    ResponsibilityOverrideFactory(prisoner=prisoner)
    assert lists_of(prisoner, prison) == {"in_progress", "overdue_tasks"}
    row = handover_list(scope=HandoverScope(prison=prison), tab="in_progress", today=TODAY).get()
    assert (row.effective_responsibility, row.overridden) == (COMMUNITY, True)


def test_a_removed_override_no_longer_counts(prison):
    prisoner = make_case(prison=prison, days=30, responsibility=CUSTODY_ONLY)
    ResponsibilityOverrideFactory(
        prisoner=prisoner, removed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), removal_reason="Mistake"
    )
    assert lists_of(prisoner, prison) == {"upcoming"}


@pytest.mark.parametrize(
    ("handover_type", "done", "care_under_25", "overdue"),
    [
        ("standard", {}, False, True),
        ("standard", {"contacted_com": True}, False, True),
        ("standard", {"contacted_com": True, "sent_handover_report": True}, False, False),
        ("standard", {"contacted_com": True, "sent_handover_report": True}, True, True),
        (
            "standard",
            {"contacted_com": True, "sent_handover_report": True, "attended_handover_meeting": True},
            True,
            False,
        ),
        ("enhanced", {"contacted_com": True, "reviewed_oasys": True}, False, True),
        ("enhanced", {"contacted_com": True, "reviewed_oasys": True, "attended_handover_meeting": True}, False, False),
        ("none", {}, False, False),
    ],
)
def test_overdue_checklist_tasks_follow_the_handover_type(prison, handover_type, done, care_under_25, overdue):
    born = TODAY - relativedelta(years=24) if care_under_25 else TODAY - relativedelta(years=40)
    prisoner = make_case(
        prison=prison,
        days=-5,
        responsibility=COMMUNITY,
        com=True,
        handover_type=handover_type,
        prisoner_kwargs={"care_experienced": care_under_25, "date_of_birth": born},
    )
    if done:
        HandoverChecklistFactory(prisoner=prisoner, handover_type=handover_type, **done)
    assert ("overdue_tasks" in lists_of(prisoner, prison)) is overdue


def test_a_care_experienced_person_turning_25_today_no_longer_needs_the_meeting(prison):
    prisoner = make_case(
        prison=prison,
        days=-5,
        responsibility=COMMUNITY,
        com=True,
        prisoner_kwargs={"care_experienced": True, "date_of_birth": TODAY - relativedelta(years=25)},
    )
    HandoverChecklistFactory(prisoner=prisoner, contacted_com=True, sent_handover_report=True)
    assert "overdue_tasks" not in lists_of(prisoner, prison)
    assert handover_panel_for_prisoner(prisoner=prisoner, today=TODAY).tasks == (
        "contacted_com",
        "sent_handover_report",
    )


def test_scopes_a_poms_own_cases_one_poms_cases_and_the_prison(prison, other_prison, pom_user):
    mine = PomProfileFactory(user=pom_user, prison=prison)
    theirs = PomProfileFactory(prison=prison)
    primary = make_case(prison=prison, pom=mine)
    co_working = make_case(prison=prison, pom=theirs)
    PomAllocation.objects.create(
        prisoner=co_working, pom=mine, role=PomAllocation.Role.CO_WORKING, allocated_at=primary.updated_at
    )
    other = make_case(prison=prison, pom=theirs)
    make_case(prison=other_prison)

    def numbers(scope):
        return {r.prisoner_id for r in handover_list(scope=scope, tab="upcoming", today=TODAY)}

    assert numbers(HandoverScope(prison=prison, user=pom_user)) == {primary.pk, co_working.pk}
    assert numbers(HandoverScope(prison=prison, pom=theirs)) == {co_working.pk, other.pk}
    assert numbers(HandoverScope(prison=prison)) == {primary.pk, co_working.pk, other.pk}
    roles = {
        r.prisoner_id: r.your_role
        for r in handover_list(scope=HandoverScope(prison=prison, user=pom_user), tab="upcoming", today=TODAY)
    }
    assert roles == {primary.pk: "primary", co_working.pk: "co_working"}


def test_the_counts_are_the_lengths_of_the_lists_in_one_query(prison, django_assert_num_queries):
    for days, responsibility, com in [(10, CUSTODY_ONLY, False), (40, CUSTODY_ONLY, True), (-3, COMMUNITY, False)]:
        make_case(prison=prison, days=days, responsibility=responsibility, com=com)
    make_case(prison=prison, days=-20, responsibility=COMMUNITY, com=True)
    scope = HandoverScope(prison=prison)
    with django_assert_num_queries(1):
        counts = handover_counts(scope=scope, today=TODAY)
    assert counts == {tab: handover_list(scope=scope, tab=tab, today=TODAY).count() for tab in TABS}
    assert counts == {"upcoming": 1, "in_progress": 3, "overdue_tasks": 3, "com_overdue": 1}


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_sort_reads_the_list_in_one_query_whatever_its_length(prison, sort, django_assert_num_queries):
    pom = PomProfileFactory(prison=prison)
    for days in (5, 1, 20, 3):
        make_case(prison=prison, days=days, pom=pom, com=days == 20)
    with django_assert_num_queries(1):
        rows = list(handover_list(scope=HandoverScope(prison=prison), tab="upcoming", today=TODAY, sort=sort))
        for row in rows:  # everything a row shows is already loaded
            _ = (row.prisoner.list_name, row.prisoner.case_information.com, row.pom_last_name)
    assert len(rows) == 3


def test_sorting_by_handover_date_and_by_name(prison):
    late = make_case(prison=prison, days=40, prisoner_kwargs={"last_name": "Adams"})
    soon = make_case(prison=prison, days=2, prisoner_kwargs={"last_name": "Young"})
    scope = HandoverScope(prison=prison)
    by_date = [r.prisoner_id for r in handover_list(scope=scope, tab="upcoming", today=TODAY, sort="handover")]
    by_name = [r.prisoner_id for r in handover_list(scope=scope, tab="upcoming", today=TODAY, sort="name")]
    assert by_date == [soon.pk, late.pk]
    assert by_name == [late.pk, soon.pk]


def test_a_poms_alerts_are_those_on_their_cases(prison, pom_user):
    mine = PomProfileFactory(user=pom_user, prison=prison)
    my_case = make_case(prison=prison, pom=mine)
    other_case = make_case(prison=prison)
    AlertFactory(prisoner=my_case)
    AlertFactory(prisoner=other_case, kind="com_allocation_overdue")
    AlertFactory(prisoner=other_case, kind="key_work_overdue")  # another engine's alert: not a handover alert
    assert [a.prisoner_id for a in alert_list(prison=prison, user=pom_user)] == [my_case.pk]
    assert {a.prisoner_id for a in alert_list(prison=prison)} == {my_case.pk, other_case.pk}
    assert [a.kind for a in alert_list(prison=prison, kind="com_allocation_overdue")] == ["com_allocation_overdue"]


def test_the_community_pipeline_holds_the_next_three_months_per_ldu_and_region(prison, other_prison):
    north = LocalDeliveryUnitFactory(code="N01", name="North", probation_region="North East")
    south = LocalDeliveryUnitFactory(code="S01", name="South", probation_region="South West")
    in_north = make_case(prison=prison, days=20)
    in_south = make_case(prison=prison, days=80)
    too_late = make_case(prison=prison, days=100)
    elsewhere = make_case(prison=other_prison, days=10)
    for prisoner, ldu in ((in_north, north), (in_south, south), (too_late, north), (elsewhere, north)):
        prisoner.case_information.local_delivery_unit = ldu
        prisoner.case_information.save()
    summary = community_pipeline_summary(today=TODAY, prisons=[prison])
    assert [(r["code"], r["cases"]) for r in summary["ldus"]] == [("N01", 1), ("S01", 1)]
    everywhere = community_pipeline_summary(today=TODAY, prisons=None)
    assert {r["region"]: r["cases"] for r in everywhere["regions"]} == {"North East": 2, "South West": 1}
    listed = community_pipeline_list(today=TODAY, prisons=[prison], ldu_code="N01")
    assert [r.prisoner_id for r in listed] == [in_north.pk]
    assert [r.prisoner_id for r in community_pipeline_list(today=TODAY, prisons=[prison], region="South West")] == [
        in_south.pk
    ]


def test_the_panel_reads_a_case_in_three_queries(prison, django_assert_num_queries):
    prisoner = make_case(prison=prison, days=-5, responsibility=COMMUNITY, handover_type="enhanced")
    ResponsibilityOverrideFactory(prisoner=prisoner)
    HandoverChecklistFactory(prisoner=prisoner, handover_type="enhanced", reviewed_oasys=True, contacted_com=True)
    with django_assert_num_queries(3):
        panel = handover_panel_for_prisoner(prisoner=prisoner, today=TODAY)
        _ = panel.override.created_by
    assert panel.tasks_done == 2
    assert len(panel.tasks) == 3
    assert panel.effective_responsibility == COMMUNITY


def test_other_pages_can_annotate_the_effective_responsibility_of_prisoners(prison):
    from cases.models import Prisoner
    from handover.selectors import effective_responsibility

    overridden = make_case(prison=prison, days=30)
    plain = make_case(prison=prison, days=30)
    ResponsibilityOverrideFactory(prisoner=overridden)
    rows = dict(
        Prisoner.objects.annotate(
            shown=effective_responsibility(prisoner_ref="pk", stored="calculated_handover__responsibility")
        ).values_list("pk", "shown")
    )
    assert rows == {overridden.pk: COMMUNITY, plain.pk: CUSTODY_ONLY}
