"""Recomputing tasks from the facts: created, moved, withdrawn, auto-completed; done and not needed never lost;
idempotent; bulk reads and writes (queries do not grow with the number of cases)."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ParoleReview
from casework.models import CaseTask
from casework.task_recompute import (
    ADVISORY_LOCK_KEY,
    RecomputeLocked,
    recompute_lock,
    tasks_recompute_all,
    tasks_recompute_for,
)
from tests.casework.task_setup import TODAY, make_case
from tests.factories.casework import EarlyAllocationFactory, ParoleReviewFactory

pytestmark = pytest.mark.django_db


def kinds(prisoner) -> dict:
    return {(t.kind, t.occurrence): t for t in CaseTask.objects.filter(prisoner=prisoner)}


def test_recompute_creates_the_derived_tasks_and_is_idempotent(prison):
    prisoner = make_case(prison=prison)
    first = tasks_recompute_for([prisoner.pk], today=TODAY)
    tasks = kinds(prisoner)
    assert ("initial_oasys", "") in tasks
    assert tasks[("initial_oasys", "")].due_date == prisoner.sentence.sentence_start_date + dt.timedelta(weeks=10)
    assert first.created == len(tasks)
    second = tasks_recompute_for([prisoner.pk], today=TODAY)
    assert (second.created, second.updated, second.withdrawn) == (0, 0, 0)


def test_a_fact_change_moves_open_tasks_but_never_done_or_not_needed_ones(prison, pom_user):
    prisoner = make_case(prison=prison)
    tasks_recompute_for([prisoner.pk], today=TODAY)
    tasks = kinds(prisoner)
    done = tasks[("initial_oasys", "")]
    done.status, done.completed_on, done.completed_by = "done", TODAY, pom_user
    done.save()
    skipped = tasks[("early_allocation_screening", "")]
    skipped.status, skipped.not_needed_reason = "not_needed", "Screened at the previous prison"
    skipped.save()
    sentence = prisoner.sentence
    sentence.sentence_start_date -= dt.timedelta(days=7)
    sentence.conditional_release_date -= dt.timedelta(days=30)
    sentence.save()
    counts = tasks_recompute_for([prisoner.pk], today=TODAY)
    after = kinds(prisoner)
    assert after[("initial_oasys", "")].status == "done"
    assert after[("initial_oasys", "")].due_date == done.due_date  # a done task never moves
    assert after[("initial_oasys", "")].completed_by == pom_user
    assert after[("early_allocation_screening", "")].status == "not_needed"
    assert after[("early_allocation_screening", "")].due_date == skipped.due_date
    moved = after[("early_allocation_review", "")]
    assert moved.pk == tasks[("early_allocation_review", "")].pk  # the same open task, moved
    assert moved.due_date == sentence.conditional_release_date - relativedelta(months=18)
    assert counts.updated == 1


def test_open_tasks_no_longer_called_for_are_withdrawn_but_completed_ones_stay(prison):
    prisoner = make_case(prison=prison, prisoner_kwargs={"youth_transfer_on": TODAY - dt.timedelta(days=1)})
    tasks_recompute_for([prisoner.pk], today=TODAY)
    assert ("youth_transfer_meeting", (TODAY - dt.timedelta(days=1)).isoformat()) in kinds(prisoner)
    CaseTask.objects.filter(prisoner=prisoner, kind="initial_oasys").update(status="done", completed_on=TODAY)
    prisoner.youth_transfer_on = None
    prisoner.save()
    sentence = prisoner.sentence
    sentence.sentence_type, sentence.sentence_start_date = "determinate", None  # no longer sentenced
    sentence.save()
    counts = tasks_recompute_for([prisoner.pk], today=TODAY)
    left = kinds(prisoner)
    assert list(left) == [("initial_oasys", "")]
    assert left[("initial_oasys", "")].status == "done"
    assert counts.withdrawn >= 2


def test_recording_the_parole_outcome_or_community_decision_completes_the_task(prison):
    prisoner = make_case(prison=prison)
    review = ParoleReviewFactory(prisoner=prisoner, target_hearing_date=TODAY - dt.timedelta(days=10))
    assessment = EarlyAllocationFactory(prisoner=prisoner, discretionary=True)
    tasks_recompute_for([prisoner.pk], today=TODAY)
    tasks = kinds(prisoner)
    assert tasks[("parole_outcome", f"review-{review.pk}")].status == "due"
    assert tasks[("community_decision", f"assessment-{assessment.pk}")].status == "due"
    screening = tasks[("early_allocation_screening", "")]  # the assessment is the screening
    assert (screening.status, screening.completed_on) == ("done", timezone.localdate(assessment.created_at))
    ParoleReview.objects.filter(pk=review.pk).update(hearing_outcome_received_on=TODAY - dt.timedelta(days=2))
    assessment.community_decision, assessment.community_decision_date = True, TODAY
    assessment.save()
    tasks_recompute_for([prisoner.pk], today=TODAY)
    tasks = kinds(prisoner)
    parole = tasks[("parole_outcome", f"review-{review.pk}")]
    assert (parole.status, parole.completed_on, parole.completed_by) == ("done", TODAY - dt.timedelta(days=2), None)
    assert tasks[("community_decision", f"assessment-{assessment.pk}")].completed_on == TODAY


def _queries_for(numbers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        tasks_recompute_for(numbers, today=TODAY)
    return len(ctx.captured_queries)


def test_recompute_queries_do_not_grow_with_the_number_of_cases(prison):
    few = [make_case(prison=prison).pk for _ in range(2)]
    many = [make_case(prison=prison).pk for _ in range(12)]
    for case in [*few, *many]:
        ParoleReviewFactory(prisoner_id=case, target_hearing_date=TODAY - dt.timedelta(days=3))
    assert _queries_for(few) == _queries_for(many)  # first run: inserts
    CaseTask.objects.filter(kind="initial_oasys").update(due_date=TODAY)  # every case now has a task to move
    CaseTask.objects.filter(kind="oasys_review").delete()
    assert _queries_for(few) == _queries_for(many)  # moves and inserts


def test_bulk_run_covers_every_prison_in_chunks_and_reports(prison, other_prison):
    for _ in range(3):
        make_case(prison=prison)
    make_case(prison=other_prison)
    counts = tasks_recompute_all(today=TODAY, chunk_size=2)
    assert counts.cases == 4
    assert counts.created == CaseTask.objects.count()
    assert counts.prisons == ["LEI", "MDI"]
    again = tasks_recompute_all(today=TODAY, chunk_size=2)
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0)


def test_bulk_runs_never_overlap(prison):
    if connection.vendor != "postgresql":
        with recompute_lock(), pytest.raises(RecomputeLocked):
            tasks_recompute_all(today=TODAY)
        return
    other = connection.copy()  # another session holds the advisory lock (a session may re-take its own)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        with pytest.raises(RecomputeLocked):
            tasks_recompute_all(today=TODAY)
    finally:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
        other.close()


def test_command_recomputes_with_a_summary(prison, capsys):
    make_case(prison=prison)
    call_command("tasks_recompute", "--no-progress")
    out = capsys.readouterr().out
    assert "1 cases" in out
    assert CaseTask.objects.exists()


def test_command_refuses_an_unknown_prison(prison):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No prison"):
        call_command("tasks_recompute", "--prison", "ZZZ")
