"""Tasks are recomputed after the commit of a change to a case's facts, once per case while one is queued."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache

from casework.models import CaseTask
from casework.task_jobs import QUEUED_KEY, tasks_recompute_case
from tests.casework.task_setup import eager_jobs, make_case
from tests.factories.casework import ParoleReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_sentence_change_queues_one_recompute_after_the_commit(prison, django_capture_on_commit_callbacks):
    prisoner = make_case(prison=prison)
    cache.clear()
    with (
        mock.patch("casework.task_jobs.tasks_recompute_case.apply_async") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sentence = prisoner.sentence
        sentence.sentence_start_date -= dt.timedelta(days=1)
        sentence.save()
        ParoleReviewFactory(prisoner=prisoner)
    delay.assert_called_once()  # through omic.queueing.enqueue: apply_async(args, kwargs, ...)
    assert delay.call_args.args[0] == [prisoner.pk]


def test_nothing_is_queued_on_a_rollback(prison, django_capture_on_commit_callbacks):
    prisoner = make_case(prison=prison)
    with (
        mock.patch("casework.task_jobs.tasks_recompute_case.apply_async") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        prisoner.care_experienced = True
        prisoner.save()
    assert callbacks  # queued for the commit, which a rollback never reaches
    delay.assert_not_called()


def test_the_job_recomputes_and_clears_the_queued_flag(prison):
    prisoner = make_case(prison=prison)
    cache.set(QUEUED_KEY.format(prisoner.pk), 1)
    result = tasks_recompute_case(prisoner.pk)
    assert result["created"] == CaseTask.objects.filter(prisoner=prisoner).count() > 0
    assert cache.get(QUEUED_KEY.format(prisoner.pk)) is None


def test_eager_end_to_end_a_change_creates_the_tasks(prison, django_capture_on_commit_callbacks):
    with eager_jobs(), django_capture_on_commit_callbacks(execute=True):
        prisoner = make_case(prison=prison, prisoner_kwargs={"youth_transfer_on": dt.date(2026, 11, 23)})
    assert CaseTask.objects.filter(prisoner=prisoner, kind="youth_transfer_meeting").exists()


def test_saves_that_change_nothing_the_engine_reads_queue_nothing(prison, django_capture_on_commit_callbacks):
    prisoner = make_case(prison=prison)
    prisoner.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        prisoner.cell_location = "B-2-014"
        prisoner.save()
        case = prisoner.case_information
        case.tier = "B"
        case.save()
        prisoner.sentence.save()
    assert callbacks == []
