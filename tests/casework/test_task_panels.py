"""The prisoner profile's panels: ``case_tasks_panel`` and ``service_level_panel`` (placed by the profile's owner)."""

import datetime as dt

import pytest
from django.template import Context, Template

from casework.task_recompute import tasks_recompute_for
from casework.task_selectors import next_task_due_for, service_level_for
from tests.casework.task_setup import TODAY, make_case

pytestmark = pytest.mark.django_db


def render(prisoner) -> str:
    template = Template(
        "{% load casework_case %}{% case_tasks_panel prisoner today %}{% service_level_panel prisoner today %}"
    )
    return template.render(Context({"prisoner": prisoner, "today": TODAY}))


def test_panels_show_the_open_tasks_and_the_service_level(prison, django_assert_num_queries):
    prisoner = make_case(prison=prison)
    tasks_recompute_for([prisoner.pk], today=TODAY)
    with django_assert_num_queries(4):  # the open tasks; the facts (3)
        html = render(prisoner)
    assert "Complete the initial OASys" in html
    assert "Overdue" in html
    assert "Full case management" in html


def test_short_sentence_panel_says_why(prison):
    prisoner = make_case(prison=prison, years=0)  # released the day the sentence starts
    level = service_level_for(prisoner=prisoner, today=TODAY)
    assert (level.full, level.code) == (False, "under_10_months")
    assert "10 months or less" in render(prisoner)


def test_next_task_due_for_many_cases_in_one_query(prison, django_assert_num_queries):
    made = [make_case(prison=prison) for _ in range(3)]
    tasks_recompute_for([p.pk for p in made], today=TODAY)
    with django_assert_num_queries(1):
        result = next_task_due_for(prison_numbers=[p.pk for p in made], today=TODAY)
    assert set(result) == {p.pk for p in made}
    assert all(task.is_overdue for task in result.values())
    assert next_task_due_for(prison_numbers=[], today=TODAY) == {}


def test_a_task_due_today_is_due_and_overdue_from_tomorrow(prison):
    from casework.task_selectors import task_list
    from tests.factories.casework import CaseTaskFactory

    prisoner = make_case(prison=prison)
    today_task = CaseTaskFactory(prisoner=prisoner, kind="lisp1", due_date=TODAY)
    late = CaseTaskFactory(prisoner=prisoner, kind="recall_meeting", occurrence="x", due_date=TODAY - dt.timedelta(1))
    CaseTaskFactory(prisoner=prisoner, kind="youth_transfer_meeting", status="done", completed_on=TODAY, due_date=TODAY)
    assert [t.pk for t in task_list(prison=prison, today=TODAY, state="overdue")] == [late.pk]
    assert [t.pk for t in task_list(prison=prison, today=TODAY, state="due")] == [today_task.pk]
    assert task_list(prison=prison, today=TODAY, state="done").count() == 1
    flags = {t.pk: t.is_overdue for t in task_list(prison=prison, today=TODAY)}
    assert flags[late.pk] is True
    assert flags[today_task.pk] is False
