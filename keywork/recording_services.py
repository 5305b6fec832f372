"""Writes for key work recording: sessions, POM–key worker contacts, progression plans, overdue-session alerts and
the monthly quality checks. Each write is atomic and leaves an audit event on the case.

A sensitive session note never goes into the audit trail (the case history is shown to all prison staff): the audit
records that a session happened, its type, date, length and whether the note is sensitive.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import Alert, Prison, Prisoner
from cases.services import prisoner_lock
from keywork import calculations as kw_calc
from keywork.models import (
    GoalProgress,
    KeyworkSession,
    PomContact,
    ProgressionGoal,
    ProgressionPlan,
    SessionType,
)
from keywork.recording_calculations import session_due
from keywork.recording_selectors import active_allocations_for_prison
from keywork.selectors import configuration_for_prison

ALERT_KIND = "key_work_overdue"
FUTURE_DATE = "The date must be today or in the past"
PLAN_REFUSED = (
    "A progression plan cannot be started for a prisoner with a formal sentence plan unless their POM has agreed. "
    "Ask the POM first, then record their agreement."
)


def _not_in_future(*, day: dt.date, today: dt.date, field: str) -> None:
    if day > today:
        raise ValidationError({field: FUTURE_DATE})


@transaction.atomic
def session_record(
    *,
    prison: Prison,
    prisoner: Prisoner,
    key_worker,
    session_date: dt.date,
    session_type: str,
    duration_minutes: int | None,
    notes: str,
    is_sensitive: bool,
    today: dt.date,
    goal_notes: dict[int, str] | None = None,
) -> KeyworkSession:
    """Record a key work session, attempted session or entry with a prisoner, with progress noted against their
    progression plan goals; a session held clears the prisoner's overdue alert when it brings them up to date."""
    _not_in_future(day=session_date, today=today, field="session_date")
    if session_type == SessionType.SESSION and not duration_minutes:
        raise ValidationError({"duration_minutes": "Enter how long the session took, in minutes"})
    if duration_minutes is not None and duration_minutes < 1:
        raise ValidationError({"duration_minutes": "The duration must be a positive number of minutes"})
    session = KeyworkSession(
        prison=prison,
        prisoner=prisoner,
        key_worker=key_worker,
        session_date=session_date,
        session_type=session_type,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        is_sensitive=is_sensitive,
        created_by=key_worker,
    )
    session.full_clean()
    session.save()
    audit_record(
        action="recorded",
        obj=session,
        before=None,
        after={
            "session_date": session_date,
            "session_type": session_type,
            "duration_minutes": duration_minutes,
            "is_sensitive": is_sensitive,
        },
        actor=key_worker,
        prisoner=prisoner,
    )
    for goal_id, note in (goal_notes or {}).items():
        if note.strip():
            goal = ProgressionGoal.objects.get(
                pk=goal_id, plan__prisoner=prisoner, plan__status=ProgressionPlan.Status.ACTIVE
            )
            goal_progress_record(goal=goal, note=note, noted_on=session_date, actor=key_worker, session=session)
    if session_type == SessionType.SESSION:
        overdue_alert_sync_for_prisoner(prison=prison, prisoner=prisoner, today=today, actor=key_worker)
    return session


@transaction.atomic
def pom_contact_record(
    *, prison: Prison, prisoner: Prisoner, contact_date: dt.date, pom, key_worker, summary: str, actor, today: dt.date
) -> PomContact:
    """Record that the POM and the key worker discussed the case (either of them, or anyone in the OMU, records it)."""
    _not_in_future(day=contact_date, today=today, field="contact_date")
    if pom is not None and key_worker is not None and pom.pk == key_worker.pk:
        raise ValidationError({"key_worker": "The POM and the key worker must be two different people"})
    contact = PomContact(
        prison=prison,
        prisoner=prisoner,
        contact_date=contact_date,
        pom=pom,
        key_worker=key_worker,
        summary=summary.strip(),
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        action="recorded",
        obj=contact,
        before=None,
        after={"contact_date": contact_date, "pom": pom.get_username(), "key_worker": key_worker.get_username()},
        actor=actor,
        prisoner=prisoner,
    )
    return contact


# --- Progression plans (KW-13) ---------------------------------------------------------------------------------------


@transaction.atomic
def progression_plan_create(
    *,
    prison: Prison,
    prisoner: Prisoner,
    has_sentence_plan: bool,
    pom_agreed: bool,
    agreed_by_pom,
    goals: list[tuple[str, dt.date]],
    actor,
    today: dt.date,
) -> ProgressionPlan:
    """Start a progression plan with its first goals. Refused where the prisoner has a formal sentence plan and the
    POM has not agreed, and where the prisoner already has an active plan."""
    if has_sentence_plan and not pom_agreed:
        raise ValidationError({"pom_agreed": PLAN_REFUSED})
    if pom_agreed and agreed_by_pom is None:
        raise ValidationError({"agreed_by_pom": "Choose the POM who agreed to the plan"})
    prisoner_lock(prisoner.pk)  # with no plan yet there is no plan row to lock: two at once would both pass the check
    if ProgressionPlan.objects.filter(prisoner=prisoner, status="active").exists():
        raise ValidationError("This prisoner already has a progression plan: add goals to it instead")
    if not goals:
        raise ValidationError("Enter at least one goal with a target date")
    plan = ProgressionPlan(
        prison=prison,
        prisoner=prisoner,
        has_sentence_plan=has_sentence_plan,
        pom_agreed=pom_agreed,
        agreed_by_pom=agreed_by_pom if pom_agreed else None,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    audit_record(
        action="created",
        obj=plan,
        before=None,
        after={
            "has_sentence_plan": has_sentence_plan,
            "pom_agreed": pom_agreed,
            "agreed_by_pom": agreed_by_pom.get_username() if pom_agreed else "",
        },
        actor=actor,
        prisoner=prisoner,
    )
    for description, target_date in goals:
        progression_goal_add(plan=plan, description=description, target_date=target_date, actor=actor, today=today)
    return plan


@transaction.atomic
def progression_goal_add(
    *, plan: ProgressionPlan, description: str, target_date: dt.date, actor, today: dt.date
) -> ProgressionGoal:
    if plan.status != ProgressionPlan.Status.ACTIVE:
        raise ValidationError("Goals can only be added to an active plan")
    if target_date < today:
        raise ValidationError({"target_date": "The target date must be today or in the future"})
    goal = ProgressionGoal(plan=plan, description=description.strip(), target_date=target_date)
    goal.full_clean()
    goal.save()
    audit_record(
        action="created",
        obj=goal,
        before=None,
        after={"description": goal.description, "target_date": target_date},
        actor=actor,
        prisoner=plan.prisoner,
    )
    return goal


@transaction.atomic
def goal_progress_record(
    *, goal: ProgressionGoal, note: str, noted_on: dt.date, actor, session: KeyworkSession | None = None, status=""
) -> GoalProgress:
    """Note progress towards a goal, usually when it is reviewed in a session; optionally change the goal's status."""
    progress = GoalProgress(goal=goal, session=session, noted_on=noted_on, note=note.strip(), recorded_by=actor)
    progress.full_clean()
    progress.save()
    after = {"noted_on": noted_on}
    before = None
    if status and status != goal.status:
        before, after["status"] = {"status": goal.status}, status
        goal.status = status
        goal.full_clean()
        goal.save(update_fields=["status"])
    audit_record(action="recorded", obj=progress, before=before, after=after, actor=actor, prisoner=goal.plan.prisoner)
    return progress


@transaction.atomic
def progression_plan_close(*, plan: ProgressionPlan, actor, today: dt.date) -> ProgressionPlan:
    if plan.status == ProgressionPlan.Status.CLOSED:
        return plan
    plan.status, plan.closed_on = ProgressionPlan.Status.CLOSED, today
    plan.save(update_fields=["status", "closed_on"])
    audit_record(
        action="closed",
        obj=plan,
        before={"status": "active"},
        after={"status": "closed", "closed_on": today},
        actor=actor,
        prisoner=plan.prisoner,
    )
    return plan


# --- Overdue-session alerts -----------------------------------------------------------------------------------------


def _alert_message(due_date: dt.date) -> str:
    return f"Key work session overdue: one was due by {due_date.day} {due_date:%B %Y}"


def _alert_raise(*, prison, prisoner, due_date: dt.date, today: dt.date, actor=None, actor_label="") -> Alert:
    alert = Alert.objects.create(
        prisoner=prisoner,
        prison=prison,
        kind=ALERT_KIND,
        message=_alert_message(due_date),
        due_date=due_date,
        raised_on=today,
    )
    audit_record(
        action="raised",
        obj=alert,
        before=None,
        after={"kind": ALERT_KIND, "due_date": due_date},
        actor=actor,
        actor_label=actor_label,
        prisoner=prisoner,
    )
    return alert


def _alert_resolve(*, alert: Alert, today: dt.date, actor=None, actor_label="") -> None:
    alert.status, alert.resolved_on = Alert.Status.RESOLVED, today
    alert.save(update_fields=["status", "resolved_on"])
    audit_record(
        action="resolved",
        obj=alert,
        before={"status": "open"},
        after={"status": "resolved", "resolved_on": today},
        actor=actor,
        actor_label=actor_label,
        prisoner=alert.prisoner,
    )


def _overdue_due_dates(*, prison: Prison, today: dt.date, prisoner: Prisoner | None = None) -> dict[str, dt.date]:
    """Prison number -> the date the overdue session was due, for the prison's allocated prisoners who are overdue
    (no one is overdue where key work is off, or for a woman assessed as high complexity)."""
    config = configuration_for_prison(prison=prison)
    allocations = active_allocations_for_prison(prison=prison, today=today)
    if prisoner is not None:
        allocations = allocations.filter(prisoner=prisoner)
    overdue = {}
    for allocation in allocations:
        case = getattr(allocation.prisoner, "case_information", None)
        exclusion = kw_calc.key_work_exclusion(
            key_work_enabled=config.is_enabled, womens_complexity=case.womens_complexity if case else ""
        )
        if exclusion:
            continue
        due = session_due(
            last_session=allocation.last_session_date,
            allocated_on=timezone.localdate(allocation.allocated_at),
            frequency_weeks=config.frequency_weeks,
            today=today,
        )
        if due.days_overdue:
            overdue[allocation.prisoner_id] = due.due_date
    return overdue


def _alerts_sync(*, prison, overdue: dict[str, dt.date], open_alerts, prisoners, today, actor, actor_label) -> dict:
    counts = {"raised": 0, "resolved": 0, "updated": 0}
    open_by_prisoner = {a.prisoner_id: a for a in open_alerts}
    for number, alert in open_by_prisoner.items():
        if number not in overdue:
            _alert_resolve(alert=alert, today=today, actor=actor, actor_label=actor_label)
            counts["resolved"] += 1
        elif alert.due_date != overdue[number]:
            alert.due_date = overdue[number]
            alert.message = _alert_message(overdue[number])
            alert.save(update_fields=["due_date", "message"])
            counts["updated"] += 1
    for number, due_date in overdue.items():
        if number not in open_by_prisoner:
            _alert_raise(
                prison=prison,
                prisoner=prisoners[number],
                due_date=due_date,
                today=today,
                actor=actor,
                actor_label=actor_label,
            )
            counts["raised"] += 1
    return counts


@transaction.atomic
def overdue_alert_sync_for_prisoner(*, prison: Prison, prisoner: Prisoner, today: dt.date, actor=None) -> dict:
    """Raise or resolve one prisoner's overdue-session alert now (after a session is recorded)."""
    overdue = _overdue_due_dates(prison=prison, today=today, prisoner=prisoner)
    open_alerts = Alert.objects.filter(prisoner=prisoner, kind=ALERT_KIND, status=Alert.Status.OPEN)
    return _alerts_sync(
        prison=prison,
        overdue=overdue,
        open_alerts=open_alerts,
        prisoners={prisoner.pk: prisoner},
        today=today,
        actor=actor,
        actor_label="",
    )


@transaction.atomic
def overdue_alerts_refresh(*, prison: Prison, today: dt.date, actor_label: str = "keywork_overdue_alerts") -> dict:
    """The daily sweep for one prison: raise an alert for each allocated prisoner whose session is overdue, and resolve
    every open one that no longer is (a session was held, the prisoner left or lost their key worker). Running it
    twice on the same day changes nothing the second time."""
    overdue = _overdue_due_dates(prison=prison, today=today)
    open_alerts = list(
        Alert.objects.filter(prison=prison, kind=ALERT_KIND, status=Alert.Status.OPEN).select_related("prisoner")
    )
    prisoners = {p.pk: p for p in Prisoner.objects.filter(pk__in=overdue)}
    return _alerts_sync(
        prison=prison,
        overdue=overdue,
        open_alerts=open_alerts,
        prisoners=prisoners,
        today=today,
        actor=None,
        actor_label=actor_label,
    )


def overdue_alerts_refresh_all(*, today: dt.date) -> dict[str, dict]:
    """Every prison, one transaction each, so one prison's failure does not hold up the others."""
    return {prison.code: overdue_alerts_refresh(prison=prison, today=today) for prison in Prison.objects.all()}
