"""Issue #5 follow-ups: sensitive notes wherever key work shows a session (progress noted in a sensitive session, the
quality check), the links between a prisoner's key worker page and their key work, each role's next actions on the
key work landing page, and the ``{% keywork_home_figures %}`` home page tag."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cases.models import PomAllocation
from keywork.models import GoalProgress, PrisonKeyworkDailyStat
from tests.factories import PrisonerFactory
from tests.factories.keywork import KeyworkConfigurationFactory
from tests.factories.keywork_recording import (
    KeyworkAllocationFactory,
    KeyworkSessionFactory,
    ProgressionGoalFactory,
    QualityCheckFactory,
    at_noon,
    key_worker_user,
    pom_user,
)

pytestmark = pytest.mark.django_db

SECRET = "Named the prisoner who is running debts on the landing"
PROGRESS_SECRET = "Wants to move wings because of the debt"
HIDDEN = "Only OMU staff and the prisoner's POM can read"
# Wednesday 25 November 2026, midday in London.
NOON = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def case(prison, staff_user_factory):
    """A prisoner whose key worker held a sensitive session and noted progress on a goal in it; their POM; and a key
    worker and a POM who are not theirs."""
    key_worker = key_worker_user(prison=prison, username="kw", first_name="Kim", last_name="Walker")
    prisoner = PrisonerFactory(prison=prison, first_name="Sam", last_name="Jones")
    KeyworkAllocationFactory(
        prisoner=prisoner, key_worker=key_worker.key_worker_profiles.get(), allocated_at=at_noon(dt.date(2026, 10, 1))
    )
    pom = pom_user(prison=prison, username="thepom")
    PomAllocation.objects.create(
        prisoner=prisoner, pom=pom.pom_profiles.get(), role=PomAllocation.Role.PRIMARY, allocated_at=timezone.now()
    )
    session = KeyworkSessionFactory(
        prisoner=prisoner, key_worker=key_worker, notes=SECRET, is_sensitive=True, session_date=dt.date(2026, 11, 20)
    )
    goal = ProgressionGoalFactory(plan__prisoner=prisoner, plan__prison=prison, description="Stay on the wing")
    GoalProgress.objects.create(goal=goal, session=session, noted_on=session.session_date, note=PROGRESS_SECRET)
    GoalProgress.objects.create(goal=goal, noted_on=dt.date(2026, 11, 10), note="Started the gym course")
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


def _case_url(case, name="keywork_case"):
    return reverse(name, kwargs={"prison_code": case["prison"].code, "prison_number": case["prisoner"].prison_number})


def _prison_url(case, name, **kwargs):
    return reverse(name, kwargs={"prison_code": case["prison"].code, **kwargs})


# --- Sensitive notes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reads"),
    [
        ("key_worker", True),  # the author
        ("pom", True),  # the case's POM
        ("homs", True),
        ("case_admin", True),
        ("other_key_worker", False),  # a key worker, not the author
        ("other_pom", False),  # a POM, not this case's
    ],
)
def test_progress_noted_in_a_sensitive_session_is_as_sensitive_as_its_note(client, case, who, reads):
    client.force_login(case[who])
    html = client.get(_case_url(case)).content.decode()
    assert "Stay on the wing" in html
    assert "Started the gym course" in html  # progress noted outside a sensitive session: everyone
    assert (PROGRESS_SECRET in html) is reads
    assert (SECRET in html) is reads
    assert html.count(HIDDEN) == (0 if reads else 2)


def test_the_quality_check_shows_the_note_to_a_reviewer_who_may_read_it(client, case):
    check = QualityCheckFactory(session=case["session"], sample__prison=case["prison"])
    client.force_login(case["homs"])
    html = client.get(_prison_url(case, "keywork_quality_check") + f"?entry={check.pk}").content.decode()
    assert SECRET in html
    assert HIDDEN not in html


def test_the_quality_check_hides_the_note_from_a_reviewer_who_may_not_read_it(client, case, monkeypatch):
    """Today every reviewer may read sensitive notes; the page still asks the rule, so a narrower reader is covered."""
    check = QualityCheckFactory(session=case["session"], sample__prison=case["prison"])
    user_model = type(case["homs"])
    real = user_model.has_perm
    monkeypatch.setattr(
        user_model, "has_perm", lambda u, perm, obj=None: perm != "keywork.read_session_note" and real(u, perm, obj)
    )
    client.force_login(case["homs"])
    html = client.get(_prison_url(case, "keywork_quality_check") + f"?entry={check.pk}").content.decode()
    assert SECRET not in html
    assert HIDDEN in html


# --- Links between the pages ----------------------------------------------------------------------------------------


def test_the_prisoners_key_worker_page_links_to_their_key_work(client, case):
    client.force_login(case["homs"])
    html = client.get(_case_url(case, "keywork_prisoner")).content.decode()
    assert f'href="{_case_url(case)}"' in html


@pytest.mark.parametrize(("who", "links"), [("homs", True), ("case_admin", True), ("key_worker", False)])
def test_the_case_key_work_page_links_back_to_the_key_worker_page_for_those_who_allocate(client, case, who, links):
    client.force_login(case[who])
    html = client.get(_case_url(case)).content.decode()
    assert (f'href="{_case_url(case, "keywork_prisoner")}"' in html) is links
    assert (f'href="{_prison_url(case, "keywork_my_prisoners")}"' in html) is (who == "key_worker")


def test_the_key_worker_page_links_each_prisoner_to_their_key_work_and_the_case_page_to_the_key_worker(client, case):
    client.force_login(case["homs"])
    detail = _prison_url(case, "keywork_key_worker", user_id=case["key_worker"].pk)
    assert f'href="{_case_url(case)}"' in client.get(detail).content.decode()
    assert f'href="{detail}"' in client.get(_case_url(case)).content.decode()


def test_the_key_workers_own_page_links_to_each_case(client, case):
    client.force_login(case["key_worker"])
    assert f'href="{_case_url(case)}"' in client.get(_prison_url(case, "keywork_my_prisoners")).content.decode()


# --- The landing page -----------------------------------------------------------------------------------------------


def test_a_key_worker_is_led_to_my_prisoners_with_their_figures(client, case):
    client.force_login(case["key_worker"])
    html = client.get(_prison_url(case, "keywork_home")).content.decode()
    assert f'class="govuk-button" data-module="govuk-button" href="{_prison_url(case, "keywork_my_prisoners")}"' in html
    # Last session on Friday 20 November: due Friday 27 November, this week.
    assert "<strong>1</strong> prisoner allocated to you" in html
    assert "<strong>0</strong> overdue a session" in html
    assert "<strong>1</strong> due a session this week" in html
    assert "What to do next" not in html


def test_the_homs_is_led_through_settings_allocation_dashboard_and_quality_checks_in_order(client, case):
    KeyworkConfigurationFactory(prison=case["prison"], allow_auto_allocation=True)
    PrisonerFactory.create_batch(2, prison=case["prison"])  # eligible, without a key worker
    QualityCheckFactory(session=case["session"], sample__prison=case["prison"])
    client.force_login(case["homs"])
    html = client.get(_prison_url(case, "keywork_home")).content.decode()
    steps = html[html.index('data-testid="next-steps"') : html.index("</ol>")]
    order = ["keywork_configuration", "keywork_auto_allocation", "keywork_dashboard", "keywork_quality_list"]
    positions = [steps.index(f'href="{_prison_url(case, name)}"') for name in order]
    assert positions == sorted(positions)
    assert "2 eligible prisoners without a key worker" in steps
    assert "1 sampled entry waiting to be checked" in steps
    assert "My prisoners" not in html


def test_without_auto_allocation_the_step_is_to_allocate_by_hand(client, case):
    client.force_login(case["case_admin"])
    html = client.get(_prison_url(case, "keywork_home")).content.decode()
    assert f'href="{_prison_url(case, "keywork_allocations")}"' in html
    assert _prison_url(case, "keywork_auto_allocation") not in html
    assert _prison_url(case, "keywork_configuration") not in html


def test_a_pom_is_not_offered_pages_their_role_does_not_open(client, case):
    client.force_login(case["pom"])
    html = client.get(_prison_url(case, "keywork_home")).content.decode()
    assert _prison_url(case, "keywork_my_prisoners") not in html
    assert _prison_url(case, "keywork_dashboard") not in html


# --- The home page tag ----------------------------------------------------------------------------------------------


def _render_tag(user, prison) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load keywork_home %}{% keywork_home_figures %}")
    return template.render(Context({"prison": prison, "user": user, "request": request}))


def test_the_home_tag_gives_a_key_worker_their_prisoners_due_and_overdue(case, django_assert_max_num_queries):
    other = PrisonerFactory(prison=case["prison"], last_name="Overdue")
    KeyworkAllocationFactory(
        prisoner=other,
        key_worker=case["key_worker"].key_worker_profiles.get(),
        allocated_at=at_noon(TODAY.replace(day=1)),
    )
    user = case["key_worker"]
    _render_tag(user, case["prison"])
    with django_assert_max_num_queries(4):
        html = _render_tag(user, case["prison"])
    assert "<strong>2</strong> prisoners allocated to you" in html
    assert "<strong>1</strong> due a session this week" in html
    assert "<strong>1</strong> overdue a session" in html
    assert _prison_url(case, "keywork_my_prisoners") in html


def test_the_home_tag_gives_heads_of_omu_this_weeks_and_this_months_delivery(case, staff_user_factory):
    KeyworkConfigurationFactory(prison=case["prison"])
    # Five eligible prisoners (the case and four more) every day of November: 5 sessions due a week.
    PrisonerFactory.create_batch(4, prison=case["prison"])
    for day in range(1, 25):
        PrisonKeyworkDailyStat.objects.create(
            prison=case["prison"], date=dt.date(2026, 11, day), prisoner_count=5, high_complexity_count=0,
            eligible_count=5, assigned_count=1, active_key_worker_count=2, session_count=0, entry_count=0,
            session_minutes=0, frequency_weeks=1,
        )  # fmt: skip
    KeyworkSessionFactory(prisoner=case["prisoner"], key_worker=case["key_worker"], session_date=dt.date(2026, 11, 24))
    KeyworkSessionFactory(prisoner=case["prisoner"], key_worker=case["key_worker"], session_date=TODAY)
    PrisonKeyworkDailyStat.objects.filter(date=dt.date(2026, 11, 24)).update(session_count=1, session_minutes=45)
    homd = staff_user_factory(roles=["homd"], prisons=[case["prison"]], username="homd")
    for user in (case["homs"], homd):
        html = _render_tag(user, case["prison"])
        # This week, Monday 23 to Wednesday 25: 5 x 3 / 7 = 2 sessions projected, 2 held.
        assert "Delivered this week" in html
        assert "<strong>100%</strong> (2 of 2 sessions)" in html
        # This month, 1 to 25 November: 5 x 25 / 7 = 17 projected, 2 held.
        assert "<strong>12%</strong> (2 of 17 sessions)" in html
        assert _prison_url(case, "keywork_dashboard") in html


def test_the_home_tag_shows_nothing_to_other_roles_or_where_key_work_is_off(case):
    assert _render_tag(case["pom"], case["prison"]).strip() == ""
    assert _render_tag(case["case_admin"], case["prison"]).strip() == ""
    KeyworkConfigurationFactory(prison=case["prison"], is_enabled=False)
    assert _render_tag(case["homs"], case["prison"]).strip() == ""
