"""Reads for the POM caseload ("Your cases"): every active case of one POM with what each row shows.

A fixed number of queries whatever the caseload: the POM's active allocations with the prisoner, sentence, case
information and stored handover (one, with the override as an annotation); the open alerts of those cases (one);
their parole reviews' target hearing dates (one); and the next task due of each (one, ``casework.task_selectors``).
Tabs, filters, search and sorting then run over those rows in Python: a POM's caseload is at most a few hundred.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Min, Q
from django.utils import timezone

from allocation.calculations import pom_role_for
from cases.models import Alert, ParoleReview, PomAllocation, PomProfile, Prison
from casework.task_selectors import next_task_due_for
from dashboards.caseload_calculations import (
    ROLE_LABELS,
    TABS,
    CaseFacts,
    matches_search,
    parole_date,
    sort_key,
    tabs_of,
)
from handover.selectors import override_active


@dataclass(frozen=True)
class CaseloadPrisoner:
    """The prisoner as a caseload row shows it: plain values, not a model (a 150-case caseload builds no models)."""

    prison_number: str
    first_name: str
    last_name: str
    cell_location: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def list_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True)
class CaseloadAlert:
    kind: str
    message: str
    due_date: dt.date | None


@dataclass
class CaseloadRow:
    prisoner: CaseloadPrisoner
    allocation_role: str  # primary or co_working
    allocated_at: dt.datetime
    role: str  # responsible, supporting or co_working (allocation.calculations)
    tier: str
    responsibility: str
    overridden: bool
    handover_start_date: dt.date | None
    handover_date: dt.date | None
    earliest_release_date: dt.date | None
    earliest_release_type: str
    parole_date: dt.date | None
    parole_kind: str
    next_task: object | None
    alerts: list[CaseloadAlert] = field(default_factory=list)
    tabs: set[str] = field(default_factory=set)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def next_task_due(self) -> dt.date | None:
        return getattr(self.next_task, "due_date", None)

    @property
    def next_task_label(self) -> str:
        task = self.next_task
        if task is None:
            return ""
        return task.get_kind_display() if hasattr(task, "get_kind_display") else str(task)


@dataclass
class Caseload:
    pom: PomProfile
    rows: list[CaseloadRow]
    counts: dict[str, int]
    summary: dict[str, int]


def next_tasks_for(*, prison_numbers: list[str], today: dt.date) -> dict:
    """{prison_number: next open task}; empty while the task engine's selector is not built yet."""
    try:
        return next_task_due_for(prison_numbers=prison_numbers, today=today)
    except NotImplementedError:
        return {}


def _target_hearing_dates(prison_numbers: list[str], today: dt.date) -> dict[str, dt.date]:
    """The nearest target hearing date, today or later, of each case's parole reviews (one query)."""
    rows = (
        ParoleReview.objects.filter(prisoner_id__in=prison_numbers, target_hearing_date__gte=today)
        .values("prisoner_id")
        .annotate(thd=Min("target_hearing_date"))
        .values_list("prisoner_id", "thd")
        .order_by()
    )
    return dict(rows)


ROW_FIELDS = {
    "prisoner_id": "prisoner_id",
    "first_name": "prisoner__first_name",
    "last_name": "prisoner__last_name",
    "cell_location": "prisoner__cell_location",
    "allocation_role": "role",
    "allocated_at": "allocated_at",
    "tier": "prisoner__case_information__tier",
    "ted": "prisoner__sentence__tariff_expiry_date",
    "ped": "prisoner__sentence__parole_eligibility_date",
    "ped_override": "prisoner__sentence__parole_eligibility_date_override",
    "stored_responsibility": "prisoner__calculated_handover__responsibility",
    "handover_start_date": "prisoner__calculated_handover__handover_start_date",
    "handover_date": "prisoner__calculated_handover__handover_date",
    "earliest_release_date": "prisoner__calculated_handover__earliest_release_date",
    "earliest_release_type": "prisoner__calculated_handover__earliest_release_type",
}


def caseload_for_pom(*, pom: PomProfile, today: dt.date) -> Caseload:
    """The POM's active cases (primary and co-working) with their row values, tab counts and summary: four queries.

    The rows are read as values, not models: a caseload of 150 builds no model instances but its next tasks."""
    values = list(
        PomAllocation.objects.filter(pom=pom, ended_at__isnull=True, prisoner__prison=pom.prison)
        .annotate(overridden=override_active())
        .order_by("prisoner__last_name", "prisoner__first_name", "prisoner_id")
        .values(
            "overridden",
            *[k for k, v in ROW_FIELDS.items() if k == v],
            **{k: F(v) for k, v in ROW_FIELDS.items() if k != v},
        )
    )
    numbers = [v["prisoner_id"] for v in values]
    alerts = defaultdict(list)
    if numbers:
        rows = (
            Alert.objects.filter(prisoner_id__in=numbers, status=Alert.Status.OPEN)
            .order_by("due_date", "raised_on", "id")
            .values_list("prisoner_id", "kind", "message", "due_date")
        )
        for prisoner_id, kind, message, due_date in rows:
            alerts[prisoner_id].append(CaseloadAlert(kind=kind, message=message, due_date=due_date))
    thds = _target_hearing_dates(numbers, today) if numbers else {}
    tasks = next_tasks_for(prison_numbers=numbers, today=today) if numbers else {}
    rows = [_row(v, today=today, alerts=alerts, thds=thds, tasks=tasks) for v in values]
    counts = {tab: sum(1 for r in rows if tab in r.tabs) for tab in TABS}
    summary = {
        "total": len(rows),
        "responsible": sum(1 for r in rows if r.role == "responsible"),
        "supporting": sum(1 for r in rows if r.role == "supporting"),
        "co_working": sum(1 for r in rows if r.role == "co_working"),
        "overdue_tasks": sum(1 for r in rows if r.next_task_due is not None and r.next_task_due < today),
        "alerts": sum(len(r.alerts) for r in rows),
    }
    return Caseload(pom=pom, rows=rows, counts=counts, summary=summary)


def _row(v: dict, *, today, alerts, thds, tasks) -> CaseloadRow:
    number = v["prisoner_id"]
    overridden = bool(v["overridden"])
    responsibility = "Community" if overridden else (v["stored_responsibility"] or "")
    parole, parole_kind = parole_date(
        today=today,
        ted=v["ted"],
        ped=v["ped_override"] if v["ped_override"] is not None else v["ped"],  # the override is in force (Sentence)
        thd=thds.get(number),
    )
    allocated_on = timezone.localtime(v["allocated_at"]).date()
    row = CaseloadRow(
        prisoner=CaseloadPrisoner(
            prison_number=number,
            first_name=v["first_name"],
            last_name=v["last_name"],
            cell_location=v["cell_location"],
        ),
        allocation_role=v["allocation_role"],
        allocated_at=v["allocated_at"],
        role=pom_role_for(allocation_role=v["allocation_role"], responsibility=responsibility),
        tier=v["tier"] or "",
        responsibility=responsibility,
        overridden=overridden,
        handover_start_date=v["handover_start_date"],
        handover_date=v["handover_date"],
        earliest_release_date=v["earliest_release_date"],
        earliest_release_type=v["earliest_release_type"] or "",
        parole_date=parole,
        parole_kind=parole_kind,
        next_task=tasks.get(number),
        alerts=alerts.get(number, []),
    )
    row.tabs = tabs_of(
        CaseFacts(
            allocated_on=allocated_on,
            responsibility=responsibility,
            handover_date=row.handover_date,
            earliest_release_date=row.earliest_release_date,
            parole_date=parole,
            next_task_due=row.next_task_due,
        ),
        today=today,
    )
    return row


def caseload_rows(
    caseload: Caseload, *, tab: str = "all", role: str = "", search: str = "", sort: str = "handover"
) -> list[CaseloadRow]:
    """The rows of one tab, filtered by the POM's role and a name or prison number, sorted."""
    rows = [
        r
        for r in caseload.rows
        if tab in r.tabs
        and (not role or r.role == role)
        and matches_search(
            term=search,
            prison_number=r.prisoner.prison_number,
            first_name=r.prisoner.first_name,
            last_name=r.prisoner.last_name,
        )
    ]
    return sorted(rows, key=sort_key(sort))


def pom_for_user(*, user, prison: Prison) -> PomProfile | None:
    return PomProfile.objects.select_related("user", "prison").filter(user=user, prison=prison).first()


def pom_choices(*, prison: Prison) -> list[PomProfile]:
    """The prison's POMs, for the HOMD's "whose caseload" choice."""
    return list(
        PomProfile.objects.filter(prison=prison)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def pom_get(*, prison: Prison, pom_id: int) -> PomProfile | None:
    return PomProfile.objects.select_related("user", "prison").filter(Q(prison=prison) & Q(pk=pom_id)).first()
