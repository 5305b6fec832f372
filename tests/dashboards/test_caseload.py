"""The POM caseload ("Your cases"): tabs, the row values, filters, sorting, CSV, the HOMD's ?pom=, scoping and the
query count that does not grow with the caseload."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from cases.models import PomAllocation
from tests.dashboards.caseload_setup import NOON, at, pom_with_cases
from tests.factories import PomProfileFactory, PrisonerFactory
from tests.factories.handover import AlertFactory, ResponsibilityOverrideFactory
from tests.handover.pages_setup import COMMUNITY, TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON, tick=False):
        yield


def url(prison, **params):
    from urllib.parse import urlencode

    base = reverse("caseload", kwargs={"prison_code": prison.code})
    return base + ("?" + urlencode(params) if params else "")


def rows_of(page) -> list[str]:
    return [row.prisoner.prison_number for row in page.context["page"].object_list]


def test_a_pom_sees_their_cases_with_handover_date_days_left_tier_role_and_alerts(client, pom_user, prison):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    mine = make_case(prison=prison, days=20, pom=pom, prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"})
    AlertFactory(prisoner=mine, message="Upcoming handover: no COM yet")
    make_case(prison=prison, days=5, pom=PomProfileFactory(prison=prison))  # someone else's
    client.force_login(pom_user)
    response = client.get(url(prison))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Your cases" in text
    assert rows_of(response) == [mine.pk]
    assert "Ridley, Tom" in text
    assert "14 Dec 2026" in text  # the handover date...
    assert "in 20 days" in text  # ...with the days left
    assert "Upcoming handover: no COM yet" in text
    assert "Responsible" in text
    assert 'data-testid="tab-handovers"' in text


def test_tabs_count_and_list_the_right_cases(client, pom_user, prison):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    new = make_case(prison=prison, days=200, pom=pom)
    old = make_case(prison=prison, days=200, pom=pom)
    PomAllocation.objects.filter(prisoner=old).update(allocated_at=at(30))
    PomAllocation.objects.filter(prisoner=new).update(allocated_at=at(2))
    releasing = make_case(prison=prison, days=None, pom=pom, earliest_release_date=TODAY + dt.timedelta(days=10))
    PomAllocation.objects.filter(prisoner=releasing).update(allocated_at=at(30))
    handing_over = make_case(prison=prison, days=None, responsibility=COMMUNITY, handover_date=TODAY, pom=pom)
    PomAllocation.objects.filter(prisoner=handing_over).update(allocated_at=at(30))
    parole = make_case(prison=prison, days=300, pom=pom)
    PomAllocation.objects.filter(prisoner=parole).update(allocated_at=at(30))
    parole.sentence.parole_eligibility_date = TODAY + dt.timedelta(days=90)
    parole.sentence.save()
    client.force_login(pom_user)
    response = client.get(url(prison, tab="new"))
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert counts == {"all": 5, "new": 1, "releases": 1, "parole": 1, "handovers": 1, "tasks": 0}
    assert rows_of(response) == [new.pk]
    assert rows_of(client.get(url(prison, tab="releases"))) == [releasing.pk]
    assert rows_of(client.get(url(prison, tab="handovers"))) == [handing_over.pk]
    assert rows_of(client.get(url(prison, tab="parole"))) == [parole.pk]
    summary = response.context["summary"]
    assert (summary["total"], summary["responsible"], summary["supporting"]) == (5, 4, 1)


def test_the_role_is_supporting_when_overridden_to_the_com_and_co_working_for_a_co_worker(client, pom_user, prison):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    overridden = make_case(prison=prison, days=100, pom=pom)
    ResponsibilityOverrideFactory(prisoner=overridden)
    co = make_case(prison=prison, days=100, pom=PomProfileFactory(prison=prison))
    PomAllocation.objects.create(prisoner=co, pom=pom, role="co_working", allocated_at=NOON)
    client.force_login(pom_user)
    response = client.get(url(prison, sort="role"))
    assert [(r.prisoner.prison_number, r.role) for r in response.context["page"].object_list] == [
        (overridden.pk, "supporting"),
        (co.pk, "co_working"),
    ]
    assert "Overridden to COM" in response.content.decode()
    assert rows_of(client.get(url(prison, role="co_working"))) == [co.pk]


def test_search_filter_and_sort_and_bad_values_fall_back(client, pom_user, prison):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    a = make_case(prison=prison, days=50, pom=pom, prisoner_kwargs={"first_name": "Ann", "last_name": "Zed"})
    b = make_case(prison=prison, days=5, pom=pom, prisoner_kwargs={"first_name": "Bob", "last_name": "Young"})
    client.force_login(pom_user)
    assert rows_of(client.get(url(prison))) == [b.pk, a.pk]  # handover date, soonest first, by default
    assert rows_of(client.get(url(prison, sort="name"))) == [b.pk, a.pk]
    assert rows_of(client.get(url(prison, q="zed"))) == [a.pk]
    assert rows_of(client.get(url(prison, q=b.pk.lower()))) == [b.pk]
    response = client.get(url(prison, tab="nope", sort="nope", role="nope", page="x"))
    assert response.status_code == 200
    assert response.context["tab"] == "all"


def test_csv_is_the_filtered_view_on_every_page(client, pom_user, prison):
    pom, cases = pom_with_cases(prison=prison, user=pom_user, n=3)
    cases[0].first_name, cases[0].last_name = "=cmd", "Quincy"
    cases[0].save()
    client.force_login(pom_user)
    response = client.get(url(prison, q="quincy", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["prison_number"] for r in rows] == [cases[0].pk]
    assert rows[0]["first_name"] == "'=cmd"  # no spreadsheet formulas
    assert rows[0]["days_to_handover"] == "10"
    assert rows[0]["role"] == "Responsible"


def test_pagination_at_50(client, pom_user, prison):
    pom_with_cases(prison=prison, user=pom_user, n=52)
    client.force_login(pom_user)
    first = client.get(url(prison))
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(url(prison, page=2)).context["page"].object_list) == 2


def test_a_homd_opens_any_poms_caseload_but_a_pom_cannot(client, homd_user, pom_user, staff_user_factory, prison):
    pom, cases = pom_with_cases(prison=prison, user=pom_user, n=2)
    client.force_login(homd_user)
    chooser = client.get(url(prison))
    assert chooser.status_code == 200
    assert "Show the caseload of" in chooser.content.decode()
    response = client.get(url(prison, pom=pom.pk))
    assert sorted(rows_of(response)) == sorted(c.pk for c in cases)
    assert escape(f"Cases of {pom_user.get_full_name()}") in response.content.decode()  # Faker names: O'Neill
    assert client.get(url(prison, pom=999999)).status_code == 404
    assert client.get(url(prison, pom="²")).status_code == 404

    other = staff_user_factory(roles=["pom"], prisons=[prison])
    PomProfileFactory(user=other, prison=prison)
    client.force_login(other)
    assert client.get(url(prison, pom=pom.pk)).status_code == 403


def test_another_prisons_pom_is_404_for_a_homd(client, homd_user, prison, other_prison):
    elsewhere = PomProfileFactory(prison=other_prison)
    client.force_login(homd_user)
    assert client.get(url(prison, pom=elsewhere.pk)).status_code == 404
    assert client.get(reverse("caseload", kwargs={"prison_code": other_prison.code})).status_code == 404


def test_key_workers_may_not_see_caseloads(client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["key_worker"], prisons=[prison]))
    assert client.get(url(prison)).status_code == 403


def test_a_case_transferred_out_is_not_on_the_caseload(client, pom_user, prison, other_prison):
    pom, cases = pom_with_cases(prison=prison, user=pom_user, n=2)
    cases[0].prison = other_prison
    cases[0].save()
    client.force_login(pom_user)
    assert rows_of(client.get(url(prison))) == [cases[1].pk]


CASELOAD_QUERIES = 14


@pytest.mark.parametrize("extra", [0, 27])
def test_the_caseload_costs_the_same_queries_for_3_or_30_cases(
    client, pom_user, prison, extra, django_assert_num_queries
):
    """Session, user, prisons, roles, the POM, the allocations (with the override), alerts, target hearing dates,
    next tasks and the session save, and the request's two savepoints: the same for 3 cases as for 30, with alerts and
    overrides on some."""
    pom, cases = pom_with_cases(prison=prison, user=pom_user, n=3 + extra)
    for case in cases[::3]:
        AlertFactory(prisoner=case)
        ResponsibilityOverrideFactory(prisoner=case)
    PrisonerFactory(prison=prison)
    client.force_login(pom_user)
    client.get(url(prison))
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get(url(prison))
    assert len(response.context["page"].object_list) == 3 + extra


def test_the_next_task_due_shows_and_puts_the_case_on_the_tasks_tab(client, pom_user, prison):
    from casework.models import CaseTask

    pom, cases = pom_with_cases(prison=prison, user=pom_user, n=3)
    CaseTask.objects.create(prisoner=cases[0], kind="initial_oasys", due_date=TODAY - dt.timedelta(days=3))
    CaseTask.objects.create(prisoner=cases[0], kind="lisp1", due_date=TODAY + dt.timedelta(days=60))
    CaseTask.objects.create(prisoner=cases[1], kind="lisp1", due_date=TODAY + dt.timedelta(days=60))
    CaseTask.objects.create(
        prisoner=cases[2], kind="lisp1", due_date=TODAY - dt.timedelta(days=60), status="done", completed_on=TODAY
    )
    client.force_login(pom_user)
    response = client.get(url(prison, tab="tasks"))
    assert rows_of(response) == [cases[0].pk]
    assert response.context["summary"]["overdue_tasks"] == 1
    text = " ".join(response.content.decode().split())
    assert "Complete the initial OASys" in text
    assert "Overdue" in text
    assert rows_of(client.get(url(prison, sort="task"))) == [cases[0].pk, cases[1].pk, cases[2].pk]
