"""Reads for key work recording: a key worker's own caseload, a case's key work, and the quality checks.

Every read is scoped: callers pass a prison the user works in (``cases.scoping.prison_page`` resolved it), and a
sensitive note is blanked here unless the reader may see it (``keywork.recording_rules``).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cases.models import PomAllocation, Prison, Prisoner, Role
from keywork.models import (
    GoalProgress,
    KeyworkAllocation,
    KeyworkConfiguration,
    KeyworkSession,
    PomContact,
    ProgressionGoal,
    ProgressionPlan,
    QualityAnswer,
    QualityCheck,
    QualityCheckSettings,
    QualitySample,
    SessionType,
)
from keywork.models.recording import DEFAULT_SAMPLE_SIZE
from keywork.recording_calculations import DueStatus, SessionDue, month_bounds, session_due
from keywork.recording_rules import can_read_sensitive_notes_of_case
from keywork.selectors import configuration_for_prison

SESSION_LIMIT = 50


def last_session_subquery(*, today: dt.date) -> Subquery:
    """The date of the latest session held (not an attempt or an entry) with the allocation's prisoner, up to today."""
    sessions = (
        KeyworkSession.objects.filter(
            prisoner=OuterRef("prisoner"), session_type=SessionType.SESSION, session_date__lte=today
        )
        .order_by("-session_date")
        .values("session_date")[:1]
    )
    return Subquery(sessions)


def active_allocations_for_prison(*, prison: Prison, today: dt.date) -> QuerySet[KeyworkAllocation]:
    """Active key work allocations of prisoners held in the prison, with the date of their last session."""
    return (
        KeyworkAllocation.objects.filter(prison=prison, ended_at__isnull=True, prisoner__prison=prison)
        .select_related("prisoner__case_information")
        .annotate(last_session_date=last_session_subquery(today=today))
    )


@dataclass(frozen=True)
class CaseloadRow:
    prisoner: Prisoner
    allocated_on: dt.date
    last_session_date: dt.date | None
    last_contact_date: dt.date | None
    last_contact_type: str
    due: SessionDue


@dataclass(frozen=True)
class Caseload:
    rows: list[CaseloadRow]
    config: KeyworkConfiguration
    overdue: int
    due_this_week: int


def caseload_for_key_worker(*, user, prison: Prison, today: dt.date) -> Caseload:
    """The key worker's prisoners at this prison: overdue first (longest overdue first), then those due this week by
    due date, then the rest; each with their last session held and their last contact of any kind."""
    config = configuration_for_prison(prison=prison)
    latest_any = KeyworkSession.objects.filter(prisoner=OuterRef("prisoner"), session_date__lte=today).order_by(
        "-session_date", "-id"
    )
    allocations = (
        active_allocations_for_prison(prison=prison, today=today)
        .filter(key_worker__user=user)
        .annotate(
            last_contact_date=Subquery(latest_any.values("session_date")[:1]),
            last_contact_type=Subquery(latest_any.values("session_type")[:1]),
        )
    )
    rows = []
    for allocation in allocations:
        allocated_on = timezone.localdate(allocation.allocated_at)
        due = session_due(
            last_session=allocation.last_session_date,
            allocated_on=allocated_on,
            frequency_weeks=config.frequency_weeks,
            today=today,
        )
        rows.append(
            CaseloadRow(
                prisoner=allocation.prisoner,
                allocated_on=allocated_on,
                last_session_date=allocation.last_session_date,
                last_contact_date=allocation.last_contact_date,
                last_contact_type=SessionType(allocation.last_contact_type).label
                if allocation.last_contact_type
                else "",
                due=due,
            )
        )
    order = {DueStatus.OVERDUE: 0, DueStatus.DUE_THIS_WEEK: 1, DueStatus.NOT_DUE: 2}
    rows.sort(key=lambda r: (order[r.due.status], r.due.due_date, r.prisoner.last_name, r.prisoner.prison_number))
    return Caseload(
        rows=rows,
        config=config,
        overdue=sum(r.due.status == DueStatus.OVERDUE for r in rows),
        due_this_week=sum(r.due.status == DueStatus.DUE_THIS_WEEK for r in rows),
    )


@dataclass(frozen=True)
class SessionView:
    session: KeyworkSession
    note_visible: bool


@dataclass(frozen=True)
class CaseKeyWork:
    key_worker_allocation: KeyworkAllocation | None
    sessions: list[SessionView]
    session_count: int
    contacts: list[PomContact]
    active_plan: ProgressionPlan | None
    closed_plans: list[ProgressionPlan]


def note_readable(session: KeyworkSession, *, user, reads_sensitive: bool) -> bool:
    """The ``keywork.read_session_note`` rule, with "may this user read the case's sensitive notes" worked out once
    for a list of one case's sessions: a note that is not sensitive, or the reader is OMU staff, the case's POM or
    the key worker who held the session."""
    return not session.is_sensitive or reads_sensitive or session.key_worker_id == user.pk


def case_key_work(*, prisoner: Prisoner, user) -> CaseKeyWork:
    """Everything key work holds on a case: the key worker, sessions (a sensitive note blanked unless the user may
    read it), POM–key worker contacts and progression plans with their goals and progress."""
    reads_sensitive = can_read_sensitive_notes_of_case(user, prisoner)
    sessions = list(KeyworkSession.objects.filter(prisoner=prisoner).select_related("key_worker")[:SESSION_LIMIT])
    session_count = len(sessions)
    if session_count == SESSION_LIMIT:
        session_count = KeyworkSession.objects.filter(prisoner=prisoner).count()
    views = [
        SessionView(session=s, note_visible=note_readable(s, user=user, reads_sensitive=reads_sensitive))
        for s in sessions
    ]
    allocation = (
        KeyworkAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True)
        .select_related("key_worker__user")
        .first()
    )
    contacts = list(PomContact.objects.filter(prisoner=prisoner).select_related("pom", "key_worker", "recorded_by"))
    plans = list(
        ProgressionPlan.objects.filter(prisoner=prisoner)
        .select_related("agreed_by_pom", "created_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=ProgressionGoal.objects.prefetch_related(
                    Prefetch("progress", queryset=GoalProgress.objects.select_related("session"))
                ),
            )
        )
    )
    # Progress noted in a sensitive session is as sensitive as the session's note.
    for plan in plans:
        for goal in plan.goals.all():
            for progress in goal.progress.all():
                progress.note_visible = progress.session is None or note_readable(
                    progress.session, user=user, reads_sensitive=reads_sensitive
                )
    active = next((p for p in plans if p.status == ProgressionPlan.Status.ACTIVE), None)
    return CaseKeyWork(
        key_worker_allocation=allocation,
        sessions=views,
        session_count=session_count,
        contacts=contacts,
        active_plan=active,
        closed_plans=[p for p in plans if p is not active],
    )


def progression_plan_active_for_prisoner(*, prisoner: Prisoner) -> ProgressionPlan | None:
    return ProgressionPlan.objects.filter(prisoner=prisoner, status=ProgressionPlan.Status.ACTIVE).first()


def progression_goals_in_progress(*, prisoner: Prisoner) -> list[ProgressionGoal]:
    return list(
        ProgressionGoal.objects.filter(
            plan__prisoner=prisoner,
            plan__status=ProgressionPlan.Status.ACTIVE,
            status=ProgressionGoal.Status.IN_PROGRESS,
        )
    )


def _users_with_role_in_prison(*, prison: Prison, role: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role, staff_profile__prisons=prison)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def key_worker_users_for_prison(*, prison: Prison):
    return _users_with_role_in_prison(prison=prison, role=Role.KEY_WORKER)


def pom_users_for_prison(*, prison: Prison):
    return _users_with_role_in_prison(prison=prison, role=Role.POM)


def case_pom_user_ids(*, prisoner: Prisoner) -> list[int]:
    """The users who are the prisoner's POMs now, primary first."""
    return list(
        PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True)
        .order_by("role")
        .values_list("pom__user_id", flat=True)
    )


# --- Quality checks ------------------------------------------------------------------------------------------------


def quality_sample_size_for_prison(*, prison: Prison) -> int:
    settings = QualityCheckSettings.objects.filter(prison=prison).first()
    return settings.sample_size if settings is not None else DEFAULT_SAMPLE_SIZE


def quality_entries_for_month(*, prison: Prison, month: dt.date) -> dict[int, list[int]]:
    """Each key worker's entries (sessions, attempts and entries) at the prison in the month: user id -> entry ids."""
    first, last = month_bounds(month)
    entries: dict[int, list[int]] = {}
    rows = KeyworkSession.objects.filter(prison=prison, session_date__range=(first, last)).values_list(
        "key_worker_id", "pk"
    )
    for user_id, pk in rows:
        entries.setdefault(user_id, []).append(pk)
    return entries


def quality_samples_for_month(*, prison: Prison, month: dt.date) -> list[QualitySample]:
    return list(
        QualitySample.objects.filter(prison=prison, month=month)
        .select_related("key_worker")
        .prefetch_related(Prefetch("checks", queryset=QualityCheck.objects.select_related("session__prisoner")))
    )


def quality_check_get(*, prison: Prison, check_id) -> QualityCheck | None:
    try:
        check_id = int(check_id)
    except (TypeError, ValueError):
        return None
    return (
        QualityCheck.objects.filter(pk=check_id, sample__prison=prison)
        .select_related("sample__key_worker", "session__prisoner", "session__key_worker", "reviewer")
        .first()
    )


def quality_unrated_count(*, prison: Prison) -> int:
    """Sampled entries at the prison not yet checked."""
    return QualityCheck.objects.filter(sample__prison=prison, rated_at__isnull=True).count()


def quality_check_next_unrated(*, prison: Prison, month: dt.date | None = None) -> QualityCheck | None:
    checks = QualityCheck.objects.filter(sample__prison=prison, rated_at__isnull=True)
    if month is not None:
        checks = checks.filter(sample__month=month)
    checks = checks.select_related("sample__key_worker", "session__prisoner", "session__key_worker")
    return checks.order_by("sample__month", "sample__key_worker__last_name", "session__session_date", "pk").first()


def quality_feedback_for_key_worker(*, user, prison: Prison, limit: int = 20) -> list[QualityCheck]:
    """The key worker's rated entries at this prison, unread feedback first, then newest."""
    return list(
        QualityCheck.objects.filter(sample__prison=prison, sample__key_worker=user, rated_at__isnull=False)
        .select_related("session__prisoner", "reviewer")
        .annotate(read=Case(When(seen_by_key_worker_at__isnull=True, then=Value(0)), default=Value(1)))
        .order_by("read", "-rated_at", "-pk")[:limit]
    )


def _rate(yes: int, applicable: int):
    return round(100 * yes / applicable) if applicable else None


def quality_results_by_key_worker(*, prison: Prison, first_month: dt.date, last_month: dt.date) -> list[dict]:
    """The quality check results per key worker over whole months, in one query (for the key work dashboard):
    entries sampled and rated, and for each checklist item how many of the applicable entries met it (count and %)."""
    answered = {}
    for name, _ in QualityCheck.CHECKLIST:
        answered[f"{name}_yes"] = Count("pk", filter=Q(**{name: QualityAnswer.YES}))
        answered[f"{name}_no"] = Count("pk", filter=Q(**{name: QualityAnswer.NO}))
    rows = (
        QualityCheck.objects.filter(sample__prison=prison, sample__month__range=(first_month, last_month))
        .values("sample__key_worker", "sample__key_worker__first_name", "sample__key_worker__last_name")
        .annotate(
            sampled=Count("pk"),
            rated=Count("pk", filter=Q(rated_at__isnull=False)),
            meets_all=Count(
                "pk",
                filter=Q(rated_at__isnull=False)
                & ~Q(links_to_plan=QualityAnswer.NO)
                & ~Q(clear_next_step=QualityAnswer.NO)
                & ~Q(risk_information_passed=QualityAnswer.NO),
            ),
            last_rated=Max("rated_at"),
            **answered,
        )
        .order_by("sample__key_worker__last_name", "sample__key_worker__first_name", "sample__key_worker")
    )
    results = []
    for row in rows:
        items = []
        for name, label in QualityCheck.CHECKLIST:
            yes, no = row[f"{name}_yes"], row[f"{name}_no"]
            items.append(
                {"name": name, "label": label, "yes": yes, "applicable": yes + no, "percent": _rate(yes, yes + no)}
            )
        results.append(
            {
                "key_worker_id": row["sample__key_worker"],
                "key_worker_name": " ".join(
                    filter(None, [row["sample__key_worker__first_name"], row["sample__key_worker__last_name"]])
                ),
                "sampled": row["sampled"],
                "rated": row["rated"],
                "meets_all": row["meets_all"],
                "meets_all_percent": _rate(row["meets_all"], row["rated"]),
                "items": items,
            }
        )
    return results
