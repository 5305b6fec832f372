"""The task pages: the POM's own tasks, the HOMD's whole prison with filters and CSV, the overdue counts (equal to the
lists they link to), a case's tasks and service level, updating a task; prison scoping and pinned query counts."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from cases.models import AuditEvent
from casework.models import CaseTask
from casework.task_recompute import tasks_recompute_for
from casework.task_selectors import overdue_counts, task_list
from tests.casework.task_setup import TODAY, make_case
from tests.factories import PomProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def pom_profile(prison, pom_user):
    return PomProfileFactory(user=pom_user, prison=prison)


def cases(prison, n, pom=None):
    made = [make_case(prison=prison, pom=pom) for _ in range(n)]
    tasks_recompute_for([p.pk for p in made], today=TODAY)
    return made


def url(name, prison, **kwargs):
    return reverse(name, kwargs={"prison_code": prison.code, **kwargs})


def test_pom_sees_only_their_own_cases_tasks(client, prison, pom_user, pom_profile):
    mine = cases(prison, 2, pom=pom_profile)
    others = cases(prison, 1, pom=PomProfileFactory(prison=prison))
    client.force_login(pom_user)
    response = client.get(url("task_list", prison))
    assert response.status_code == 200
    body = response.content.decode()
    assert all(p.prison_number in body for p in mine)
    assert others[0].prison_number not in body
    assert "Your case tasks" in body


def test_homd_sees_every_case_and_filters_by_pom_kind_and_state(client, prison, homd_user, pom_profile):
    cases(prison, 2, pom=pom_profile)
    cases(prison, 1)
    client.force_login(homd_user)
    everything = client.get(url("task_list", prison))
    total = CaseTask.objects.count()
    assert f"{total} tasks" in everything.content.decode()
    filtered = client.get(
        url("task_list", prison), {"pom": pom_profile.pk, "kind": "initial_oasys", "state": "overdue"}
    )
    assert "2 tasks" in filtered.content.decode()
    unallocated = client.get(url("task_list", prison), {"pom": "none", "kind": "initial_oasys"})
    assert "1 task<" in unallocated.content.decode()


def test_task_list_csv(client, prison, homd_user):
    made = cases(prison, 2)
    client.force_login(homd_user)
    response = client.get(url("task_list", prison), {"state": "overdue", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["prison_number", "last_name", "first_name", "task"]
    assert {row[0] for row in rows[1:]} == {p.pk for p in made}
    assert all(row[6] == "Overdue" for row in rows[1:])


def test_overdue_counts_equal_the_lists_they_link_to(client, prison, homd_user, pom_profile):
    cases(prison, 2, pom=pom_profile)
    cases(prison, 1)
    client.force_login(homd_user)
    response = client.get(url("task_overdue_summary", prison))
    assert response.status_code == 200
    counts = overdue_counts(prison=prison, today=TODAY)
    assert counts["total"] == task_list(prison=prison, today=TODAY, state="overdue").count() > 0
    assert counts["by_pom"][pom_profile.pk] == 2 * counts["by_pom"][None]
    links = response.context["by_kind"] + response.context["by_pom"]
    for link in links:
        listed = client.get(link["url"])
        assert f"{link['count']} task" in listed.content.decode(), link
    assert sum(link["count"] for link in response.context["by_kind"]) == counts["total"]
    assert client.get(response.context["total_url"]).context["page"].paginator.count == counts["total"]


def test_pom_cannot_see_the_overdue_summary(client, prison, pom_user):
    client.force_login(pom_user)
    assert client.get(url("task_overdue_summary", prison)).status_code == 403


def test_another_prisons_pages_are_404(client, prison, other_prison, homd_user):
    other = cases(other_prison, 1)[0]
    client.force_login(homd_user)
    assert client.get(url("task_list", other_prison)).status_code == 404
    assert client.get(url("case_tasks", prison, prison_number=other.pk)).status_code == 404
    task = CaseTask.objects.filter(prisoner=other).first()
    assert client.get(url("case_task_update", prison, prison_number=other.pk, task_id=task.pk)).status_code == 404


def test_case_tasks_page_shows_the_service_level(client, prison, homd_user):
    prisoner = cases(prison, 1)[0]
    client.force_login(homd_user)
    response = client.get(url("case_tasks", prison, prison_number=prisoner.pk))
    body = response.content.decode()
    assert "Full case management" in body
    assert "Complete the initial OASys" in body


def test_allocated_pom_marks_a_task_done_with_audit(client, prison, pom_user, pom_profile):
    prisoner = cases(prison, 1, pom=pom_profile)[0]
    task = CaseTask.objects.get(prisoner=prisoner, kind="initial_oasys")
    client.force_login(pom_user)
    target = url("case_task_update", prison, prison_number=prisoner.pk, task_id=task.pk)
    response = client.post(target, {"outcome": "done", "completed_on": "2026-11-20"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.completed_by) == ("done", dt.date(2026, 11, 20), pom_user)
    event = AuditEvent.objects.get(action="case_task_done")
    assert event.prison_number == prisoner.pk
    assert event.after["status"] == "done"
    # recomputing keeps it
    tasks_recompute_for([prisoner.pk], today=TODAY)
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"outcome": "done", "completed_on": ""}, "completed_on", "Enter the date the task was done"),
        ({"outcome": "done", "completed_on": "2026-12-01"}, "completed_on", "today or in the past"),
        ({"outcome": "not_needed", "reason": "  "}, "reason", "Enter why the task is not needed"),
        ({}, "outcome", "Select whether the task is done or not needed"),
    ],
)
def test_bad_updates_name_the_field_and_change_nothing(client, prison, homd_user, data, field, message):
    prisoner = cases(prison, 1)[0]
    task = CaseTask.objects.get(prisoner=prisoner, kind="initial_oasys")
    client.force_login(homd_user)
    response = client.post(url("case_task_update", prison, prison_number=prisoner.pk, task_id=task.pk), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    task.refresh_from_db()
    assert task.status == "due"
    assert not AuditEvent.objects.filter(action__startswith="case_task").exists()


def test_not_needed_with_reason_and_not_twice(client, prison, homd_user):
    prisoner = cases(prison, 1)[0]
    task = CaseTask.objects.get(prisoner=prisoner, kind="early_allocation_screening")
    client.force_login(homd_user)
    target = url("case_task_update", prison, prison_number=prisoner.pk, task_id=task.pk)
    assert client.post(target, {"outcome": "not_needed", "reason": "Screened at reception"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.not_needed_reason) == ("not_needed", "Screened at reception")
    again = client.post(target, {"outcome": "done", "completed_on": "2026-11-20"})
    assert "already not needed" in str(again.context["form"].non_field_errors())


def test_a_pom_not_allocated_to_the_case_cannot_update_it(client, prison, pom_user, pom_profile):
    prisoner = cases(prison, 1, pom=PomProfileFactory(prison=prison))[0]
    task = CaseTask.objects.get(prisoner=prisoner, kind="initial_oasys")
    client.force_login(pom_user)
    target = url("case_task_update", prison, prison_number=prisoner.pk, task_id=task.pk)
    assert client.post(target, {"outcome": "done", "completed_on": "2026-11-20"}).status_code == 403


def test_task_tab_queries_are_pinned_and_constant(client, prison, pom_user, pom_profile, django_assert_num_queries):
    cases(prison, 2, pom=pom_profile)
    client.force_login(pom_user)
    path = url("task_list", prison)
    client.get(path)  # warm the session
    with django_assert_num_queries(12):
        client.get(path)
    cases(prison, 10, pom=pom_profile)
    with django_assert_num_queries(12):
        client.get(path)


def test_homd_pages_queries_are_pinned_and_constant(client, prison, homd_user, pom_profile, django_assert_num_queries):
    cases(prison, 2, pom=pom_profile)
    cases(prison, 1)
    client.force_login(homd_user)
    overdue, listing = url("task_overdue_summary", prison), url("task_list", prison)
    client.get(overdue)
    with django_assert_num_queries(11):
        client.get(overdue)
    with django_assert_num_queries(12):
        client.get(listing, {"state": "overdue"})
    cases(prison, 8, pom=PomProfileFactory(prison=prison))
    cases(prison, 4)
    with django_assert_num_queries(11):
        client.get(overdue)
    with django_assert_num_queries(12):
        client.get(listing, {"state": "overdue"})


def test_case_task_tab_queries_are_pinned_and_constant(client, prison, homd_user, django_assert_num_queries):
    from tests.factories.casework import CaseTaskFactory

    prisoner = cases(prison, 1)[0]
    client.force_login(homd_user)
    path = url("case_tasks", prison, prison_number=prisoner.pk)
    client.get(path)
    with django_assert_num_queries(14):
        client.get(path)
    for n in range(10):
        CaseTaskFactory(prisoner=prisoner, kind="recall_meeting", occurrence=f"2026-01-{n + 1:02d}")
    with django_assert_num_queries(14):
        client.get(path)


def test_an_unknown_filter_value_is_dropped_alone(client, prison, homd_user):
    cases(prison, 2)
    client.force_login(homd_user)
    response = client.get(url("task_list", prison), {"kind": "initial_oasys", "state": "nonsense"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
