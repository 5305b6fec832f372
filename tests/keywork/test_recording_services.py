"""Recording services: sessions, POM–key worker contacts, progression plans and the overdue-session alerts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from cases.models import Alert, AuditEvent, CaseInformation
from keywork.models import GoalProgress, KeyworkConfiguration, ProgressionPlan, SessionType
from keywork.recording_services import (
    ALERT_KIND,
    PLAN_REFUSED,
    overdue_alerts_refresh,
    pom_contact_record,
    progression_goal_add,
    progression_plan_close,
    progression_plan_create,
    session_record,
)
from tests.factories import CaseInformationFactory, PrisonerFactory
from tests.factories.keywork_recording import (
    KeyworkAllocationFactory,
    KeyworkSessionFactory,
    ProgressionGoalFactory,
    ProgressionPlanFactory,
    at_noon,
    key_worker_user,
    pom_user,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)  # a Wednesday
ALLOCATED = dt.date(2026, 11, 1)


@pytest.fixture
def key_worker(prison):
    return key_worker_user(prison=prison, username="kw")


@pytest.fixture
def allocation(prison, key_worker):
    prisoner = PrisonerFactory(prison=prison)
    return KeyworkAllocationFactory(
        prisoner=prisoner, key_worker=key_worker.key_worker_profiles.get(), allocated_at=at_noon(ALLOCATED)
    )


def _record(prison, prisoner, key_worker, **overrides):
    values = {
        "prison": prison,
        "prisoner": prisoner,
        "key_worker": key_worker,
        "session_date": TODAY,
        "session_type": SessionType.SESSION,
        "duration_minutes": 45,
        "notes": "Discussed his worries about housing on release.",
        "is_sensitive": False,
        "today": TODAY,
    }
    return session_record(**(values | overrides))


# --- Sessions ------------------------------------------------------------------------------------------------------


def test_a_session_is_recorded_with_an_audit_event_that_leaves_out_the_note(prison, allocation, key_worker):
    session = _record(
        prison, allocation.prisoner, key_worker, notes="Disclosed a threat to a named officer.", is_sensitive=True
    )
    assert session.pk
    assert session.key_worker == key_worker
    assert session.is_sensitive
    event = AuditEvent.objects.get(object_type="keywork.KeyworkSession")
    assert event.actor == key_worker
    assert event.prison_number == allocation.prisoner.pk
    assert event.after == {
        "session_date": "2026-11-25",
        "session_type": "session",
        "duration_minutes": 45,
        "is_sensitive": True,
    }
    assert "threat" not in str(event.after)
    assert "threat" not in str(event.before)


def test_a_session_cannot_be_in_the_future(prison, allocation, key_worker):
    with pytest.raises(ValidationError) as error:
        _record(prison, allocation.prisoner, key_worker, session_date=TODAY + dt.timedelta(days=1))
    assert error.value.message_dict["session_date"] == ["The date must be today or in the past"]
    _record(prison, allocation.prisoner, key_worker, session_date=TODAY)  # today itself is fine


@pytest.mark.parametrize("minutes", [None, 0])
def test_a_session_held_needs_a_positive_duration(prison, allocation, key_worker, minutes):
    with pytest.raises(ValidationError) as error:
        _record(prison, allocation.prisoner, key_worker, duration_minutes=minutes)
    assert "duration_minutes" in error.value.message_dict


def test_a_negative_duration_is_refused_for_any_type(prison, allocation, key_worker):
    with pytest.raises(ValidationError):
        _record(prison, allocation.prisoner, key_worker, session_type=SessionType.ENTRY, duration_minutes=-5)


def test_an_entry_needs_no_duration(prison, allocation, key_worker):
    entry = _record(prison, allocation.prisoner, key_worker, session_type=SessionType.ENTRY, duration_minutes=None)
    assert entry.duration_minutes is None


def test_goals_are_reviewed_in_a_session(prison, allocation, key_worker):
    goal = ProgressionGoalFactory(plan__prisoner=allocation.prisoner, plan__prison=prison)
    other = ProgressionGoalFactory(plan=goal.plan)
    session = _record(
        prison, allocation.prisoner, key_worker, goal_notes={goal.pk: "Applied for the job.", other.pk: ""}
    )
    progress = GoalProgress.objects.get()
    assert (progress.goal, progress.session, progress.note, progress.noted_on) == (
        goal,
        session,
        "Applied for the job.",
        TODAY,
    )


# --- Overdue alerts ------------------------------------------------------------------------------------------------


def _open_alerts():
    return list(Alert.objects.filter(kind=ALERT_KIND, status=Alert.Status.OPEN))


def test_the_sweep_raises_an_alert_the_day_after_the_session_was_due_and_not_on_the_day(prison, allocation):
    KeyworkSessionFactory(prisoner=allocation.prisoner, session_date=TODAY - dt.timedelta(days=7))
    assert overdue_alerts_refresh(prison=prison, today=TODAY)["raised"] == 0
    counts = overdue_alerts_refresh(prison=prison, today=TODAY + dt.timedelta(days=1))
    assert counts == {"raised": 1, "resolved": 0, "updated": 0}
    (alert,) = _open_alerts()
    assert (alert.prisoner, alert.prison, alert.due_date, alert.raised_on) == (
        allocation.prisoner,
        prison,
        TODAY,
        TODAY + dt.timedelta(days=1),
    )
    assert alert.message == "Key work session overdue: one was due by 25 November 2026"


def test_the_sweep_is_idempotent(prison, allocation):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    events = AuditEvent.objects.count()
    assert overdue_alerts_refresh(prison=prison, today=TODAY) == {"raised": 0, "resolved": 0, "updated": 0}
    assert len(_open_alerts()) == 1
    assert AuditEvent.objects.count() == events


def test_with_no_session_since_allocation_the_clock_starts_at_allocation(prison, allocation):
    # Allocated on 1 November with no session: due on 8 November, overdue since.
    overdue_alerts_refresh(prison=prison, today=TODAY)
    assert _open_alerts()[0].due_date == ALLOCATED + dt.timedelta(days=7)


def test_recording_a_session_resolves_the_alert(prison, allocation, key_worker):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    assert len(_open_alerts()) == 1
    _record(prison, allocation.prisoner, key_worker)
    assert _open_alerts() == []
    alert = Alert.objects.get(kind=ALERT_KIND)
    assert (alert.status, alert.resolved_on) == (Alert.Status.RESOLVED, TODAY)


def test_an_entry_or_attempt_does_not_resolve_the_alert(prison, allocation, key_worker):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    _record(prison, allocation.prisoner, key_worker, session_type=SessionType.ATTEMPTED, duration_minutes=None)
    _record(prison, allocation.prisoner, key_worker, session_type=SessionType.ENTRY, duration_minutes=None)
    overdue_alerts_refresh(prison=prison, today=TODAY)
    assert len(_open_alerts()) == 1


def test_a_backdated_session_that_leaves_the_prisoner_overdue_moves_the_due_date(prison, allocation, key_worker):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    _record(prison, allocation.prisoner, key_worker, session_date=dt.date(2026, 11, 10))
    (alert,) = _open_alerts()
    assert alert.due_date == dt.date(2026, 11, 17)


def test_fortnightly_prisons_allow_two_weeks(prison, allocation):
    KeyworkConfiguration.objects.create(prison=prison, frequency_weeks=2)
    KeyworkSessionFactory(prisoner=allocation.prisoner, session_date=TODAY - dt.timedelta(days=10))
    overdue_alerts_refresh(prison=prison, today=TODAY)
    assert _open_alerts() == []
    overdue_alerts_refresh(prison=prison, today=TODAY + dt.timedelta(days=5))
    assert len(_open_alerts()) == 1


def test_no_alerts_where_key_work_is_off_and_open_ones_resolve(prison, allocation):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    KeyworkConfiguration.objects.create(prison=prison, is_enabled=False)
    assert overdue_alerts_refresh(prison=prison, today=TODAY)["resolved"] == 1
    assert _open_alerts() == []


def test_no_alert_for_a_woman_assessed_as_high_complexity(prison, allocation):
    CaseInformationFactory(prisoner=allocation.prisoner, womens_complexity=CaseInformation.Complexity.HIGH)
    overdue_alerts_refresh(prison=prison, today=TODAY)
    assert _open_alerts() == []


def test_the_alert_resolves_when_the_key_worker_is_deallocated(prison, allocation):
    overdue_alerts_refresh(prison=prison, today=TODAY)
    allocation.ended_at = at_noon(TODAY)
    allocation.deallocation_reason = "staff_change"
    allocation.save()
    assert overdue_alerts_refresh(prison=prison, today=TODAY)["resolved"] == 1


def test_the_command_runs_the_sweep(prison, allocation, capsys):
    call_command("keywork_overdue_alerts", "--prison", prison.code, "--date", TODAY.isoformat())
    assert f"{prison.code}: 1 raised, 0 resolved, 0 updated" in capsys.readouterr().out
    call_command("keywork_overdue_alerts", "--date", TODAY.isoformat())
    assert f"{prison.code}: 0 raised, 0 resolved, 0 updated" in capsys.readouterr().out


# --- POM–key worker contacts ---------------------------------------------------------------------------------------


def test_a_pom_contact_is_recorded_and_audited(prison, allocation, key_worker):
    pom = pom_user(prison=prison, username="pom1")
    contact = pom_contact_record(
        prison=prison,
        prisoner=allocation.prisoner,
        contact_date=TODAY,
        pom=pom,
        key_worker=key_worker,
        summary="  Agreed to focus on the education target.  ",
        actor=key_worker,
        today=TODAY,
    )
    assert contact.summary == "Agreed to focus on the education target."
    assert contact.recorded_by == key_worker
    assert AuditEvent.objects.filter(object_type="keywork.PomContact", actor=key_worker).exists()


def test_a_pom_contact_cannot_be_in_the_future_or_between_one_person(prison, allocation, key_worker):
    pom = pom_user(prison=prison)
    args = {"prison": prison, "prisoner": allocation.prisoner, "summary": "x", "actor": key_worker, "today": TODAY}
    with pytest.raises(ValidationError) as error:
        pom_contact_record(contact_date=TODAY + dt.timedelta(days=1), pom=pom, key_worker=key_worker, **args)
    assert "contact_date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        pom_contact_record(contact_date=TODAY, pom=key_worker, key_worker=key_worker, **args)
    assert "key_worker" in error.value.message_dict


# --- Progression plans -----------------------------------------------------------------------------------------------


def _plan(prison, prisoner, actor, **overrides):
    values = {
        "prison": prison,
        "prisoner": prisoner,
        "has_sentence_plan": False,
        "pom_agreed": False,
        "agreed_by_pom": None,
        "goals": [("Get a job in the kitchens", TODAY + dt.timedelta(days=60))],
        "actor": actor,
        "today": TODAY,
    }
    return progression_plan_create(**(values | overrides))


def test_a_plan_without_a_sentence_plan_needs_no_pom_agreement(prison, allocation, key_worker):
    plan = _plan(prison, allocation.prisoner, key_worker)
    assert plan.status == ProgressionPlan.Status.ACTIVE
    assert [g.description for g in plan.goals.all()] == ["Get a job in the kitchens"]


def test_a_plan_is_refused_where_a_sentence_plan_exists_unless_the_pom_agreed(prison, allocation, key_worker):
    with pytest.raises(ValidationError) as error:
        _plan(prison, allocation.prisoner, key_worker, has_sentence_plan=True)
    assert error.value.message_dict["pom_agreed"] == [PLAN_REFUSED]
    assert not ProgressionPlan.objects.exists()
    pom = pom_user(prison=prison)
    plan = _plan(prison, allocation.prisoner, key_worker, has_sentence_plan=True, pom_agreed=True, agreed_by_pom=pom)
    assert plan.agreed_by_pom == pom


def test_the_database_refuses_a_plan_over_a_sentence_plan_without_agreement(prison):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressionPlanFactory(prisoner__prison=prison, has_sentence_plan=True, pom_agreed=False)


def test_one_active_plan_per_prisoner(prison, allocation, key_worker):
    plan = _plan(prison, allocation.prisoner, key_worker)
    with pytest.raises(ValidationError):
        _plan(prison, allocation.prisoner, key_worker)
    progression_plan_close(plan=plan, actor=key_worker, today=TODAY)
    assert _plan(prison, allocation.prisoner, key_worker).pk != plan.pk


def test_goals_need_a_target_date_not_in_the_past(prison, allocation, key_worker):
    plan = _plan(prison, allocation.prisoner, key_worker)
    with pytest.raises(ValidationError) as error:
        progression_goal_add(
            plan=plan,
            description="Read a book",
            target_date=TODAY - dt.timedelta(days=1),
            actor=key_worker,
            today=TODAY,
        )
    assert "target_date" in error.value.message_dict
    goal = progression_goal_add(plan=plan, description="Read a book", target_date=TODAY, actor=key_worker, today=TODAY)
    assert goal.plan == plan


def test_the_daily_task_runs_the_sweep_for_every_prison(prison, allocation):
    from keywork.recording_tasks import overdue_alerts

    with time_machine.travel(dt.datetime(2026, 11, 25, 2, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert overdue_alerts() == {prison.code: {"raised": 1, "resolved": 0, "updated": 0}}
        assert overdue_alerts() == {prison.code: {"raised": 0, "resolved": 0, "updated": 0}}


def test_the_monthly_task_draws_last_months_sample(prison, allocation, key_worker):
    from keywork.models import QualitySample
    from keywork.recording_tasks import quality_sample

    KeyworkSessionFactory(prisoner=allocation.prisoner, key_worker=key_worker, session_date=dt.date(2026, 11, 30))
    with time_machine.travel(dt.datetime(2026, 12, 1, 2, 30, tzinfo=ZoneInfo("Europe/London")), tick=False):
        assert quality_sample() == {prison.code: 1}
        assert quality_sample() == {prison.code: 0}
    assert QualitySample.objects.get().month == dt.date(2026, 11, 1)
