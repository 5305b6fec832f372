"""Reads about case tasks. CONTRACT used by dashboards and the API (implement these first).

Every list is scoped to one prison (the case's current prison) and, for a POM, to the cases where they are the active
primary POM. "Overdue" is never stored: it is a due task whose due date is before today (DECISIONS.md D-12).
"""

import datetime as dt

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404

from cases.models import PomAllocation, PomProfile, Prison, Prisoner
from casework.calculations.service_level import ServiceLevel, service_level
from casework.models import CaseTask, TaskKind, TaskStatus
from casework.task_facts import task_facts_for
from casework.task_recompute import timescales_current

STATES = {
    "due": "Due",
    "overdue": "Overdue",
    "done": "Done",
    "not_needed": "Not needed",
}
OPEN = TaskStatus.DUE


def _primary_allocation():
    return PomAllocation.objects.filter(
        prisoner=OuterRef("prisoner"), ended_at__isnull=True, role=PomAllocation.Role.PRIMARY
    )


def _pom_id(pom) -> int | None:
    if pom is None:
        return None
    return pom.pk if isinstance(pom, PomProfile) else int(pom)


def state_filter(*, state: str | None, today: dt.date) -> Q:
    """The filter for one of STATES (or everything for None). "due" means due and not yet overdue."""
    if state == "due":
        return Q(status=OPEN, due_date__gte=today)
    if state == "overdue":
        return Q(status=OPEN, due_date__lt=today)
    if state == "done":
        return Q(status=TaskStatus.DONE)
    if state == "not_needed":
        return Q(status=TaskStatus.NOT_NEEDED)
    return Q()


def task_list(*, prison: Prison, today: dt.date, pom=None, kind=None, state=None) -> QuerySet[CaseTask]:
    """CaseTask rows of the prison's cases (or the POM's own primary cases), annotated ``is_overdue`` (due and the
    due date before today). ``state`` is one of "due", "overdue", "done", "not_needed" or None (all).

    ``pom`` is a PomProfile (or its id). Each row also carries ``pom_id`` (the case's primary POM profile id or None)
    and has its prisoner loaded (``select_related``), so a page of rows costs one query.
    """
    qs = CaseTask.objects.filter(prisoner__prison=prison)
    pom_id = _pom_id(pom)
    if pom_id is not None:
        qs = qs.filter(Exists(_primary_allocation().filter(pom_id=pom_id)))
    if kind:
        qs = qs.filter(kind=kind)
    qs = qs.filter(state_filter(state=state, today=today))
    return (
        qs.select_related("prisoner", "completed_by")
        .annotate(
            is_overdue=Case(
                When(Q(status=OPEN, due_date__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            pom_id=Subquery(_primary_allocation().values("pom_id")[:1]),
        )
        .order_by("due_date", "prisoner__last_name", "prisoner__first_name", "kind", "id")
    )


def next_task_due_for(*, prison_numbers, today: dt.date) -> dict:
    """{prison_number: the open CaseTask due soonest}, in one query."""
    numbers = list(prison_numbers)
    if not numbers:
        return {}
    rows = (
        CaseTask.objects.filter(prisoner_id__in=numbers, status=OPEN)
        .annotate(is_overdue=Case(When(due_date__lt=today, then=Value(True)), default=Value(False)))
        .order_by("prisoner_id", "due_date", "kind", "id")
    )
    result: dict = {}
    for task in rows:
        result.setdefault(task.prisoner_id, task)
    return result


def overdue_counts(*, prison: Prison, today: dt.date) -> dict:
    """{"total": n, "by_kind": {kind: n}, "by_pom": {pom_profile_id: n}} of overdue tasks; the totals match
    ``task_list(state="overdue")``. Cases with no primary POM count under the key None in "by_pom"."""
    rows = (
        task_list(prison=prison, today=today, state="overdue")
        .order_by()
        .values("kind", "pom_id")
        .annotate(n=Count("id"))
    )
    by_kind: dict = {}
    by_pom: dict = {}
    total = 0
    for row in rows:
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        by_pom[row["pom_id"]] = by_pom.get(row["pom_id"], 0) + row["n"]
        total += row["n"]
    return {"total": total, "by_kind": by_kind, "by_pom": by_pom}


def service_level_for(*, prisoner: Prisoner, today: dt.date):
    """The case's service level (D-11): an object with ``full`` (bool) and ``reason`` (str)."""
    facts = task_facts_for(prisoner_number=prisoner.pk)
    if facts is None:
        return ServiceLevel(False, "not_sentenced")
    return service_level(facts, today=today)


def task_list_for_prisoner(*, prisoner: Prisoner) -> list[CaseTask]:
    """The case's tasks, soonest due first, with who completed each (one query)."""
    return list(CaseTask.objects.filter(prisoner=prisoner).select_related("completed_by").order_by("due_date", "kind"))


def open_tasks_for_prisoner(*, prisoner: Prisoner, limit: int | None = None) -> list[CaseTask]:
    """The case's open (due) tasks, soonest due first (one query)."""
    qs = CaseTask.objects.filter(prisoner=prisoner, status=OPEN).order_by("due_date", "kind")
    return list(qs[:limit] if limit else qs)


def task_get(*, prison: Prison, task_id) -> CaseTask:
    """One task of a case in the prison, or Http404 (another prison's task is not revealed)."""
    return get_object_or_404(CaseTask.objects.select_related("prisoner"), pk=task_id, prisoner__prison=prison)


def pom_profile_for_user(*, prison: Prison, user) -> PomProfile | None:
    return PomProfile.objects.filter(prison=prison, user=user).select_related("user").first()


def pom_profile_list(*, prison: Prison) -> list[PomProfile]:
    return list(PomProfile.objects.filter(prison=prison).select_related("user").order_by("user__last_name"))


KIND_LABELS = dict(TaskKind.choices)
__all__ = [
    "KIND_LABELS",
    "STATES",
    "timescales_current",
    "next_task_due_for",
    "open_tasks_for_prisoner",
    "overdue_counts",
    "pom_profile_for_user",
    "pom_profile_list",
    "service_level_for",
    "state_filter",
    "task_get",
    "task_list",
    "task_list_for_prisoner",
]
