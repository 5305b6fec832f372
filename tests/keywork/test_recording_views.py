"""Recording pages: who sees a sensitive note, the key worker's own page, the forms, permissions and prison scoping."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import PomAllocation
from keywork.models import KeyworkSession, PomContact, ProgressionPlan, QualityCheck
from keywork.recording_services import PLAN_REFUSED
from tests.factories import PrisonerFactory
from tests.factories.keywork_recording import (
    KeyworkAllocationFactory,
    KeyworkSessionFactory,
    QualityCheckFactory,
    at_noon,
    key_worker_user,
    pom_user,
)

pytestmark = pytest.mark.django_db

SECRET = "Disclosed a plan to assault a named officer"
# Wednesday 25 November 2026, midday in London.
NOON = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def case(prison, staff_user_factory):
    """A prisoner with a key worker (who wrote a sensitive note), a POM, and another key worker and POM."""
    key_worker = key_worker_user(prison=prison, username="kw", first_name="Kim", last_name="Walker")
    prisoner = PrisonerFactory(prison=prison, first_name="Sam", last_name="Jones")
    KeyworkAllocationFactory(prisoner=prisoner, key_worker=key_worker.key_worker_profiles.get())
    pom = pom_user(prison=prison, username="thepom")
    PomAllocation.objects.create(
        prisoner=prisoner, pom=pom.pom_profiles.get(), role=PomAllocation.Role.PRIMARY, allocated_at=timezone.now()
    )
    session = KeyworkSessionFactory(
        prisoner=prisoner, key_worker=key_worker, notes=SECRET, is_sensitive=True, session_date=dt.date(2026, 11, 20)
    )
    return {
        "prison": prison,
        "prisoner": prisoner,
        "key_worker": key_worker,
        "pom": pom,
        "session": session,
        "other_key_worker": key_worker_user(prison=prison, username="kw2"),
        "other_pom": pom_user(prison=prison, username="pom2"),
        "case_admin": staff_user_factory(roles=["case_admin"], prisons=[prison], username="ca"),
        "homs": staff_user_factory(roles=["homs"], prisons=[prison], username="homs"),
    }


def _url(name, case, **query):
    url = reverse(name, kwargs={"prison_code": case["prison"].code, "prison_number": case["prisoner"].prison_number})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _mine(case):
    return reverse("keywork_my_prisoners", kwargs={"prison_code": case["prison"].code})


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("key_worker", True),  # the author
        ("pom", True),  # the case's POM
        ("case_admin", True),
        ("homs", True),
        ("other_key_worker", False),
        ("other_pom", False),  # a POM, but not this case's
    ],
)
def test_a_sensitive_note_is_read_only_by_omu_staff_the_pom_and_its_author(client, case, who, reads):
    client.force_login(case[who])
    html = client.get(_url("keywork_case", case)).content.decode()
    assert "20 Nov 2026" in html  # everyone sees that the session happened
    assert (SECRET in html) is reads
    assert ("Only OMU staff and the prisoner's POM can read this note." in html) is not reads


def test_a_note_that_is_not_sensitive_is_read_by_every_key_worker(client, case):
    KeyworkSessionFactory(prisoner=case["prisoner"], key_worker=case["key_worker"], notes="Talked about the gym")
    client.force_login(case["other_key_worker"])
    assert "Talked about the gym" in client.get(_url("keywork_case", case)).content.decode()


def test_a_key_worker_records_a_session_from_their_page(client, case):
    client.force_login(case["key_worker"])
    page = client.get(_mine(case)).content.decode()
    link = _url("keywork_session_new", case, **{"from": "mine"})
    assert link in page
    response = client.post(
        link,
        {"session_date": "2026-11-25", "session_type": "session", "duration_minutes": "45", "notes": "Went well"},
    )
    assert response.status_code == 302
    assert response["Location"] == _mine(case)
    session = KeyworkSession.objects.get(notes="Went well")
    assert (session.key_worker, session.prison, session.duration_minutes) == (case["key_worker"], case["prison"], 45)


def test_the_session_form_shows_errors_against_the_fields(client, case):
    client.force_login(case["key_worker"])
    response = client.post(_url("keywork_session_new", case), {"session_date": "2026-11-26", "session_type": "session"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_duration_minutes">Enter how long the session took, in minutes</a>' in html
    assert '<a href="#id_session_date">The date must be today or in the past</a>' in html
    assert not KeyworkSession.objects.filter(session_date=dt.date(2026, 11, 26)).exists()


def test_the_session_form_reviews_progression_goals(client, case):
    client.force_login(case["key_worker"])
    client.post(
        _url("keywork_plan_new", case),
        {"has_sentence_plan": "no", "goal_1_description": "Join the gym", "goal_1_target_date": "2027-01-31"},
    )
    goal = ProgressionPlan.objects.get().goals.get()
    form = client.get(_url("keywork_session_new", case)).content.decode()
    assert "Progress towards “Join the gym”" in form
    data = {
        "session_date": "2026-11-25",
        "session_type": "session",
        "duration_minutes": "50",
        f"goal_{goal.pk}": "Went twice this week",
    }
    client.post(_url("keywork_session_new", case), data)
    assert goal.progress.get().note == "Went twice this week"
    assert "Went twice this week" in client.get(_url("keywork_case", case)).content.decode()


def test_the_key_workers_page_lists_overdue_first_with_the_last_session(client, case):
    # The case's session was on 20 November: due 27 November, this week. Another prisoner has had none since
    # allocation on 26 October: overdue since 2 November.
    overdue = PrisonerFactory(prison=case["prison"], first_name="Al", last_name="Zed")
    KeyworkAllocationFactory(
        prisoner=overdue,
        key_worker=case["key_worker"].key_worker_profiles.get(),
        allocated_at=at_noon(dt.date(2026, 10, 26)),
    )
    client.force_login(case["key_worker"])
    html = client.get(_mine(case)).content.decode()
    assert html.index("Zed, Al") < html.index("Jones, Sam")
    assert "Overdue by 23 days" in html
    assert "Due this week" in html
    assert "20 Nov 2026" in html
    assert "27 Nov 2026" in html
    summary = re.sub(r"\s+", " ", html)
    assert "<strong>1</strong> overdue a session" in summary
    assert "<strong>1</strong> due a session this week" in summary


def test_the_key_workers_page_has_a_fixed_number_of_queries(client, case, django_assert_num_queries):
    profile = case["key_worker"].key_worker_profiles.get()
    check = QualityCheckFactory(sample__prison=case["prison"], sample__key_worker=case["key_worker"])
    check.links_to_plan = check.clear_next_step = check.risk_information_passed = "yes"
    check.rated_at = timezone.now()
    check.save()
    client.force_login(case["key_worker"])
    client.get(_mine(case))  # warm the session
    # Session, user, prisons, roles, configuration, allocations (with each last session), feedback, session update,
    # and the two savepoints pairs of the request transaction: 12, however many prisoners.
    with django_assert_num_queries(12):
        small = client.get(_mine(case))
    for _ in range(6):
        prisoner = PrisonerFactory(prison=case["prison"])
        KeyworkAllocationFactory(prisoner=prisoner, key_worker=profile)
        KeyworkSessionFactory(prisoner=prisoner, key_worker=case["key_worker"], session_date=dt.date(2026, 11, 1))
    with django_assert_num_queries(12):
        large = client.get(_mine(case))
    assert large.content.decode().count("Record a session<span") == 7
    assert small.status_code == 200


def test_feedback_shows_on_the_key_workers_page_until_read(client, case):
    check = QualityCheckFactory(sample__prison=case["prison"], sample__key_worker=case["key_worker"])
    QualityCheck.objects.filter(pk=check.pk).update(
        links_to_plan="yes",
        clear_next_step="no",
        risk_information_passed="yes",
        feedback="Say what happens next.",
        rated_at=timezone.now(),
        reviewer=case["homs"],
    )
    client.force_login(case["key_worker"])
    html = client.get(_mine(case)).content.decode()
    assert "Say what happens next." in html
    assert "1 new" in html
    client.post(_mine(case), {"check": check.pk})
    check.refresh_from_db()
    assert check.seen_by_key_worker_at is not None
    assert "1 new" not in client.get(_mine(case)).content.decode()


def test_a_pom_and_key_worker_contact_is_seen_by_both_on_the_case(client, case):
    client.force_login(case["key_worker"])
    form = client.get(_url("keywork_contact_new", case)).content.decode()
    assert f'<option value="{case["pom"].pk}" selected>' in form  # the case's POM is chosen for the key worker
    response = client.post(
        _url("keywork_contact_new", case),
        {
            "contact_date": "2026-11-24",
            "pom": case["pom"].pk,
            "key_worker": case["key_worker"].pk,
            "summary": "Agreed the education target",
        },
    )
    assert response.status_code == 302
    assert PomContact.objects.get().recorded_by == case["key_worker"]
    for who in ("key_worker", "pom"):
        client.force_login(case[who])
        assert "Agreed the education target" in client.get(_url("keywork_case", case)).content.decode()


def test_the_plan_page_states_the_rule_and_the_form_refuses_with_a_clear_message(client, case):
    client.force_login(case["key_worker"])
    page = client.get(_url("keywork_plan_new", case)).content.decode()
    assert "not allowed for a prisoner with a formal sentence plan unless their POM has agreed" in page
    response = client.post(
        _url("keywork_plan_new", case),
        {"has_sentence_plan": "yes", "goal_1_description": "Join the gym", "goal_1_target_date": "2027-01-31"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert PLAN_REFUSED.replace("'", "&#x27;") in html
    assert 'href="#id_pom_agreed"' in html
    assert not ProgressionPlan.objects.exists()
    client.post(
        _url("keywork_plan_new", case),
        {
            "has_sentence_plan": "yes",
            "pom_agreed": "on",
            "agreed_by_pom": case["pom"].pk,
            "goal_1_description": "Join the gym",
            "goal_1_target_date": "2027-01-31",
        },
    )
    assert ProgressionPlan.objects.get().agreed_by_pom == case["pom"]


@pytest.mark.parametrize(
    ("who", "name", "status"),
    [
        ("pom", "keywork_session_new", 403),  # only key workers record key work
        ("case_admin", "keywork_contact_new", 403),
        ("homs", "keywork_plan_new", 403),
        ("key_worker", "keywork_quality_list", 403),
        ("pom", "keywork_quality_check", 403),
        ("homs", "keywork_quality_list", 200),
        ("key_worker", "keywork_my_prisoners", 200),
        ("pom", "keywork_my_prisoners", 403),
        ("case_admin", "keywork_case", 200),
    ],
)
def test_permissions(client, case, who, name, status):
    client.force_login(case[who])
    kwargs = {"prison_code": case["prison"].code}
    if name.startswith(("keywork_session", "keywork_contact", "keywork_plan", "keywork_case")):
        kwargs["prison_number"] = case["prisoner"].prison_number
    assert client.get(reverse(name, kwargs=kwargs)).status_code == status


def test_another_prisons_user_gets_404_for_every_recording_page_and_method(client, case, other_prison):
    outsider = key_worker_user(prison=other_prison, username="outsider")
    client.force_login(outsider)
    for name in ("keywork_case", "keywork_session_new", "keywork_contact_new", "keywork_plan_new"):
        for method in ("get", "post"):
            assert getattr(client, method)(_url(name, case)).status_code == 404, name
    for name in ("keywork_my_prisoners", "keywork_quality_list", "keywork_quality_check", "keywork_quality_draw"):
        url = reverse(name, kwargs={"prison_code": case["prison"].code})
        assert client.post(url).status_code == 404, name


def test_a_prisoner_held_elsewhere_is_404_through_your_own_prison(client, case, other_prison):
    elsewhere = PrisonerFactory(prison=other_prison)
    client.force_login(case["key_worker"])
    url = reverse("keywork_case", kwargs={"prison_code": case["prison"].code, "prison_number": elsewhere.pk})
    assert client.get(url).status_code == 404


def test_a_manager_draws_rates_and_sees_the_results(client, case):
    KeyworkSessionFactory.create_batch(
        5, prisoner=case["prisoner"], key_worker=case["key_worker"], session_date=dt.date(2026, 10, 12)
    )
    client.force_login(case["homs"])
    draw = reverse("keywork_quality_draw", kwargs={"prison_code": case["prison"].code})
    assert client.post(draw, {"month": "2026-10"}).status_code == 302
    assert QualityCheck.objects.count() == 3
    check_url = reverse("keywork_quality_check", kwargs={"prison_code": case["prison"].code})
    for _ in range(3):
        html = client.get(check_url).content.decode()
        entry = re.search(r'name="entry" value="(\d+)"', html).group(1)
        client.post(
            check_url,
            {
                "entry": entry,
                "links_to_plan": "yes",
                "clear_next_step": "yes",
                "risk_information_passed": "not_applicable",
                "feedback": "Clear",
            },
        )
    assert QualityCheck.objects.filter(rated_at__isnull=False).count() == 3
    assert "There are no entries waiting to be checked" in client.get(check_url).content.decode()
    listing = reverse("keywork_quality_list", kwargs={"prison_code": case["prison"].code})
    html = client.get(listing + "?month=2026-10").content.decode()
    assert "Kim Walker" in html
    assert "3 of 3 (100%)" in html


def test_the_case_page_has_a_fixed_number_of_queries(client, case, django_assert_num_queries):
    from tests.factories.keywork_recording import PomContactFactory, ProgressionGoalFactory

    client.force_login(case["other_key_worker"])
    client.get(_url("keywork_case", case))

    def grow():
        KeyworkSessionFactory(prisoner=case["prisoner"], key_worker=case["key_worker"], is_sensitive=True)
        PomContactFactory(prisoner=case["prisoner"], pom=case["pom"], key_worker=case["key_worker"])

    grow()
    goal = ProgressionGoalFactory(plan__prisoner=case["prisoner"], plan__prison=case["prison"])
    # Session, user, prisons, roles, prisoner, "is this the case's POM", sessions, key worker, contacts, plans,
    # goals, progress, session update, and the request's savepoints.
    with django_assert_num_queries(17):
        client.get(_url("keywork_case", case))
    for _ in range(4):
        grow()
        ProgressionGoalFactory(plan=goal.plan)
    with django_assert_num_queries(17):
        html = client.get(_url("keywork_case", case)).content.decode()
    assert html.count("Only OMU staff and the prisoner's POM can read this note.") == 6


def test_the_read_session_note_permission_follows_the_same_rule(case):
    session = case["session"]
    assert case["key_worker"].has_perm("keywork.read_session_note", session)
    assert case["pom"].has_perm("keywork.read_session_note", session)
    assert case["homs"].has_perm("keywork.read_session_note", session)
    assert not case["other_key_worker"].has_perm("keywork.read_session_note", session)
    assert not case["other_pom"].has_perm("keywork.read_session_note", session)
    open_note = KeyworkSessionFactory(prisoner=case["prisoner"], key_worker=case["key_worker"])
    assert case["other_key_worker"].has_perm("keywork.read_session_note", open_note)


def test_goals_are_added_progressed_and_the_plan_closed(client, case):
    client.force_login(case["pom"])
    client.post(
        _url("keywork_plan_new", case),
        {"has_sentence_plan": "no", "goal_1_description": "Join the gym", "goal_1_target_date": "2027-01-31"},
    )
    plan = ProgressionPlan.objects.get()
    response = client.post(_url("keywork_goal_new", case), {"description": "Read a book", "target_date": "2027-02-01"})
    assert response.status_code == 302
    goal = plan.goals.get(description="Read a book")
    response = client.post(
        _url("keywork_goal_progress", case), {"goal": goal.pk, "note": "Finished it", "status": "achieved"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert goal.progress.get().note == "Finished it"
    html = client.get(_url("keywork_case", case)).content.decode()
    assert "Finished it" in html
    assert "Achieved" in html
    assert client.get(_url("keywork_plan_close", case)).status_code == 200
    assert client.post(_url("keywork_plan_close", case)).status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.closed_on) == ("closed", dt.date(2026, 11, 25))
    assert "Closed progression plans (1)" in client.get(_url("keywork_case", case)).content.decode()
    assert "has no active progression plan" in client.get(_url("keywork_goal_new", case)).content.decode()


def test_the_sample_size_is_changed_on_its_page(client, case):
    from keywork.models import QualityCheckSettings

    client.force_login(case["homs"])
    url = reverse("keywork_quality_settings", kwargs={"prison_code": case["prison"].code})
    html = client.post(url, {"sample_size": "0"}).content.decode()
    assert "Check at least 1 entry" in html
    assert client.post(url, {"sample_size": "6"}).status_code == 302
    assert QualityCheckSettings.objects.get(prison=case["prison"]).sample_size == 6


def test_the_quality_results_download_as_csv(client, case):
    check = QualityCheckFactory(sample__prison=case["prison"], sample__key_worker=case["key_worker"])
    QualityCheck.objects.filter(pk=check.pk).update(
        links_to_plan="yes", clear_next_step="no", risk_information_passed="not_applicable", rated_at=timezone.now()
    )
    client.force_login(case["homs"])
    url = reverse("keywork_quality_list", kwargs={"prison_code": case["prison"].code}) + "?month=2026-10&format=csv"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == (
        "month,key_worker,sampled,checked,meets_checklist,links_to_plan_yes,links_to_plan_applicable,"
        "clear_next_step_yes,clear_next_step_applicable,risk_information_passed_yes,risk_information_passed_applicable"
    )
    assert lines[1] == "2026-10,Kim Walker,1,1,0,1,1,0,1,0,0"
