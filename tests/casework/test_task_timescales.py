"""Timescales are data (D-12 defaults): a service admin changes one, it is audited and every case is recomputed."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import AuditEvent
from casework.models import CaseTask, TaskTimescale
from casework.task_recompute import tasks_recompute_all, timescales_current
from casework.task_services import timescale_update
from tests.casework.task_setup import TODAY, eager_jobs, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(staff_user_factory):
    return staff_user_factory(roles=["service_admin"], username="admin")


def test_defaults_until_changed(admin_user):
    assert str(timescales_current().initial_oasys_determinate) == "10 weeks"
    timescale_update(key="initial_oasys_determinate", amount=12, unit="weeks", user=admin_user)
    assert str(timescales_current().initial_oasys_determinate) == "12 weeks"
    event = AuditEvent.objects.get(action="task_timescale_changed")
    assert (event.before, event.after) == (None, {"amount": 12, "unit": "weeks"})


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"key": "nope", "amount": 1, "unit": "days"}, "key"),
        ({"key": "lisp1", "amount": 0, "unit": "days"}, "amount"),
        ({"key": "lisp1", "amount": 1, "unit": "fortnights"}, "unit"),
    ],
)
def test_bad_timescales_are_refused_naming_the_field(admin_user, kwargs, field):
    with pytest.raises(ValidationError) as error:
        timescale_update(user=admin_user, **kwargs)
    assert field in error.value.message_dict
    assert not TaskTimescale.objects.exists()


def test_changing_a_timescale_recomputes_open_tasks_and_keeps_done_ones(
    prison, admin_user, django_capture_on_commit_callbacks
):
    first, second = make_case(prison=prison), make_case(prison=prison)
    tasks_recompute_all(today=TODAY)
    CaseTask.objects.filter(prisoner=first, kind="initial_oasys").update(status="done", completed_on=TODAY)
    with eager_jobs(), django_capture_on_commit_callbacks(execute=True):
        timescale_update(key="initial_oasys_determinate", amount=12, unit="weeks", user=admin_user)
    start = second.sentence.sentence_start_date
    assert CaseTask.objects.get(prisoner=second, kind="initial_oasys").due_date == start + dt.timedelta(weeks=12)
    done = CaseTask.objects.get(prisoner=first, kind="initial_oasys")
    assert (done.status, done.due_date) == ("done", first.sentence.sentence_start_date + dt.timedelta(weeks=10))


def test_service_admin_pages(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("task_timescales"))
    assert "Initial OASys, determinate sentence" in page.content.decode()
    target = reverse("task_timescale_change", kwargs={"key": "recall_meeting"})
    with mock.patch("casework.task_jobs.tasks_recompute.apply_async"):
        assert client.post(target, {"amount": "3", "unit": "days"}).status_code == 302
    assert str(timescales_current().recall_meeting) == "3 days"
    bad = client.post(target, {"amount": "0", "unit": "days"})
    assert "Enter an amount of 1 or more" in str(bad.context["form"].errors["amount"])
    assert client.get(reverse("task_timescale_change", kwargs={"key": "nope"})).status_code == 404


def test_other_roles_cannot_change_timescales(client, homd_user):
    client.force_login(homd_user)
    assert client.get(reverse("task_timescales")).status_code == 403
