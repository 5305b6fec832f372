"""One prisoner's recalculation: saved only on change, with history and audit; queued after the commit of a change."""

import datetime as dt

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.management import call_command

from cases.models import AuditEvent, Prison
from handover.models import CalculatedHandover, CalculatedHandoverHistory, HandoverChecklist
from handover.services.recalculation import CHANGED, CREATED, SKIPPED, UNCHANGED, recalculate
from handover.signals import recalculation_queue
from tests.factories import CommunityOffenderManagerFactory, PrisonerFactory, PrisonFactory, SentenceFactory
from tests.factories.handover import HandoverChecklistFactory, StoredHandoverFactory, handover_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_jobs():
    """Queued jobs run inline here, even with a real broker configured (test_worker.py covers the real worker)."""
    from omic.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def test_first_calculation_is_stored_with_history_and_an_audit_event():
    prisoner = handover_case(release_in=relativedelta(months=18))
    outcome = recalculate(prisoner.pk, today=TODAY, trigger="test")
    assert outcome.outcome == CREATED
    stored = CalculatedHandover.objects.get(pk=prisoner.pk)
    assert stored.responsibility == "CustodyOnly"
    assert stored.reason == "determinate"
    assert stored.policy == "current"
    assert stored.handover_date == TODAY + relativedelta(months=18) - relativedelta(months=8) - dt.timedelta(days=14)
    assert stored.earliest_release_type == "CRD"
    assert stored.inputs["conditional_release_date"] == (TODAY + relativedelta(months=18)).isoformat()
    assert stored.calculated_on == TODAY
    history = CalculatedHandoverHistory.objects.get(prisoner=prisoner)
    assert (history.trigger, history.handover_date, history.inputs) == ("test", stored.handover_date, stored.inputs)
    event = AuditEvent.objects.get(action="handover_recalculated", prisoner=prisoner)
    assert event.before is None
    assert event.after["handover_date"] == stored.handover_date.isoformat()
    assert event.reason == "Recalculated: test"


def test_nothing_is_written_when_nothing_changed():
    prisoner = handover_case(release_in=relativedelta(months=18))
    recalculate(prisoner.pk, today=TODAY, trigger="test")
    stamp = CalculatedHandover.objects.get(pk=prisoner.pk).last_changed_at
    assert recalculate(prisoner.pk, today=TODAY, trigger="test").outcome == UNCHANGED
    assert recalculate(prisoner.pk, today=TODAY + dt.timedelta(days=1), trigger="test").outcome == UNCHANGED
    assert CalculatedHandoverHistory.objects.filter(prisoner=prisoner).count() == 1
    assert AuditEvent.objects.filter(action="handover_recalculated").count() == 1
    assert CalculatedHandover.objects.get(pk=prisoner.pk).last_changed_at == stamp


def test_a_changed_release_date_changes_the_stored_result_and_keeps_the_old_one_in_history():
    prisoner = handover_case(release_in=relativedelta(months=18))
    recalculate(prisoner.pk, today=TODAY, trigger="test")
    sentence = prisoner.sentence
    sentence.conditional_release_date_override = TODAY + relativedelta(months=24)
    sentence.save()
    assert recalculate(prisoner.pk, today=TODAY, trigger="sentence").outcome == CHANGED
    history = list(CalculatedHandoverHistory.objects.filter(prisoner=prisoner).order_by("id"))
    assert [h.trigger for h in history] == ["test", "sentence"]
    assert history[1].handover_date - history[0].handover_date > dt.timedelta(days=150)
    event = AuditEvent.objects.filter(action="handover_recalculated").order_by("id").last()
    assert event.before["handover_date"] == history[0].handover_date.isoformat()
    assert event.after["handover_date"] == history[1].handover_date.isoformat()


def test_responsibility_moves_on_as_the_days_pass():
    prisoner = handover_case(release_in=relativedelta(months=18))
    handover_date = recalculate(prisoner.pk, today=TODAY, trigger="test").handover.handover_date
    later = recalculate(prisoner.pk, today=handover_date, trigger="test")
    assert later.outcome == CHANGED
    assert later.handover.responsibility == "Community"


def test_outside_omic_cases_are_stored_as_such_and_cases_without_probation_records_are_skipped():
    remand = PrisonerFactory(legal_status="remand", imprisonment_status="RX")
    from tests.factories import CaseInformationFactory

    CaseInformationFactory(prisoner=remand)
    assert recalculate(remand.pk, today=TODAY, trigger="test").outcome == CREATED
    stored = CalculatedHandover.objects.get(pk=remand.pk)
    assert (stored.inside_omic_policy, stored.responsibility, stored.reason) == (False, "", "outside_omic_policy")
    no_case = PrisonerFactory()
    SentenceFactory(prisoner=no_case)
    assert recalculate(no_case.pk, today=TODAY, trigger="test").outcome == SKIPPED
    assert recalculate("Z0000ZZ", today=TODAY, trigger="test").outcome == SKIPPED
    assert not CalculatedHandover.objects.filter(pk=no_case.pk).exists()


def test_the_after_commit_steps_wait_for_the_commit(django_capture_on_commit_callbacks):
    prisoner = handover_case(release_in=relativedelta(months=5), sentence_start_date=TODAY - relativedelta(months=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recalculate(prisoner.pk, today=TODAY, trigger="test")
    assert CalculatedHandover.objects.get(pk=prisoner.pk).reason == "determinate_short"
    assert not prisoner.alerts.exists()  # nothing yet: the transaction has not committed
    for callback in callbacks:
        callback()
    assert list(prisoner.alerts.values_list("kind", flat=True)) == ["short_sentence_needs_com"]


def test_the_checklist_is_reset_when_the_case_leaves_the_handover_window(django_capture_on_commit_callbacks):
    prisoner = handover_case(release_in=relativedelta(months=30))
    StoredHandoverFactory(  # stored while the case was in its handover (COM responsible)
        prisoner=prisoner, responsibility="Community", handover_date=TODAY - dt.timedelta(days=10)
    )
    HandoverChecklistFactory(prisoner=prisoner, contacted_com=True, sent_handover_report=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert recalculate(prisoner.pk, today=TODAY, trigger="sentence").outcome == CHANGED
    checklist = HandoverChecklist.objects.get(pk=prisoner.pk)
    assert not checklist.contacted_com
    assert not checklist.sent_handover_report
    assert AuditEvent.objects.filter(action="handover_checklist_reset", prisoner=prisoner).count() == 1


def test_the_checklist_stays_while_the_case_is_still_in_its_window(django_capture_on_commit_callbacks):
    prisoner = handover_case(release_in=relativedelta(months=8, days=30))  # handover date in about 2 weeks
    recalculate(prisoner.pk, today=TODAY, trigger="test")
    HandoverChecklistFactory(prisoner=prisoner, contacted_com=True)
    sentence = prisoner.sentence
    sentence.conditional_release_date = sentence.conditional_release_date + dt.timedelta(days=3)
    sentence.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert recalculate(prisoner.pk, today=TODAY, trigger="sentence").outcome == CHANGED
    assert HandoverChecklist.objects.get(pk=prisoner.pk).contacted_com


# --- on change: signals queue a recalculation after the commit ------------------------------------------------


def _queued(callbacks):
    """The recalculations the signals queued (the captured callbacks also hold the recalculation's own steps)."""
    return [c.args for c in callbacks if getattr(c, "func", None) is recalculation_queue]


@time_machine.travel(dt.datetime(2026, 11, 24, 12, 0), tick=False)
def test_a_sentence_change_recalculates_after_the_commit(django_capture_on_commit_callbacks, eager_jobs):
    prisoner = handover_case(release_in=relativedelta(months=18))
    sentence = prisoner.sentence
    sentence.conditional_release_date = TODAY + relativedelta(months=20)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sentence.save()
    assert _queued(callbacks) == [(prisoner.pk, "sentence")]
    assert not CalculatedHandover.objects.filter(pk=prisoner.pk).exists()  # not before the commit
    callbacks[0]()
    stored = CalculatedHandover.objects.get(pk=prisoner.pk)
    assert stored.earliest_release_date == TODAY + relativedelta(months=20)
    assert stored.calculated_on == TODAY


def test_saves_that_change_nothing_the_engine_reads_queue_nothing(django_capture_on_commit_callbacks):
    prisoner = handover_case(release_in=relativedelta(months=18))
    prisoner.refresh_from_db()
    with django_capture_on_commit_callbacks() as callbacks:
        prisoner.cell_location = "B-2-014"
        prisoner.save()
        case = prisoner.case_information
        case.tier = "B"
        case.save()
        sentence = prisoner.sentence
        sentence.save()
    assert callbacks == []


@time_machine.travel(dt.datetime(2026, 11, 24, 12, 0), tick=False)
def test_a_prison_move_or_a_com_allocation_recalculates(django_capture_on_commit_callbacks, eager_jobs):
    prisoner = handover_case(release_in=relativedelta(months=5), sentence_start_date=TODAY - relativedelta(months=1))
    recalculate(prisoner.pk, today=TODAY, trigger="test")
    prisoner.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        prisoner.prison = PrisonFactory(code="SKI")
        prisoner.save()
    assert _queued(callbacks) == [(prisoner.pk, "prisoner")]
    assert CalculatedHandover.objects.get(pk=prisoner.pk).inputs["prison_code"] == "SKI"
    assert prisoner.alerts.get(status="open").prison_id == "SKI"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = prisoner.case_information
        case.com = CommunityOffenderManagerFactory()
        case.save()
    assert _queued(callbacks) == [(prisoner.pk, "case information")]
    assert not prisoner.alerts.filter(status="open").exists()  # the COM is there: the alert resolved itself
    assert Prison.objects.filter(code="SKI").exists()


def test_handover_recalculate_command(capsys):
    prisoner = handover_case(release_in=relativedelta(months=18))
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, 0), tick=False):
        call_command("handover_recalculate", prisoner.pk.lower())
        call_command("handover_recalculate", prisoner.pk)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{prisoner.pk}: created: CustodyOnly (determinate)")
    assert out[1].startswith(f"{prisoner.pk}: unchanged")
