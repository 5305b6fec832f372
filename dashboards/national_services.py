"""The daily snapshot of each prison's OMiC measures (the national comparison and its trend read these rows).

Each figure is worked out by the selector of the list it summarises (allocation, handover, casework, key work), so
the national figure for a prison is the number its HOMD sees on the unit dashboard on the same day. Recording a day
again replaces that day's row (idempotent); one prison failing is logged and counted, the others are still recorded.

The measures (omic-requirements.md 5.1 and 5.2; issue #7):
- key work delivery: sessions held against the sessions the model projects, over the 4 weeks to the day (M-02);
- handover meetings on time (PM-2, M-08): of the handover meeting tasks due in the 12 months to the day (their due
  date is 4 weeks after the COM's allocation, D-07), the share held by the due date; tasks marked not needed are left
  out;
- OASys overdue: initial OASys, OASys review and pre-handover OASys tasks past their due date (D-12, 5.2 D-13);
- unallocated: the To allocate list, with the median days waiting (5.2 D-01); the Missing details list beside it;
- POM caseload distribution and FTE: POMs (active, or holding cases), their FTE, the median and highest weighted
  load per FTE and how many are over capacity (5.2 D-03);
- COM allocation overdue: the handover list of that name.
"""

import datetime as dt
import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from tqdm import tqdm

from allocation.calculations import days_waiting
from allocation.list_selectors import MISSING_DETAILS, TO_ALLOCATE, allocation_list, allocation_list_counts
from allocation.selectors import pom_workload_list
from allocation.staff_selectors import over_capacity_limit
from cases.models import Prison, Prisoner
from casework.models import TaskKind, TaskStatus
from casework.task_selectors import overdue_counts, task_list
from dashboards import calculations as calc
from dashboards.models import PrisonMeasureSnapshot
from handover.selectors import HandoverScope, handover_counts
from keywork.kpi_selectors import prison_kpi_report
from keywork.selectors import configuration_for_prison

logger = logging.getLogger(__name__)

KEYWORK_PERIOD_DAYS = 28
MEETING_PERIOD_MONTHS = 12
OASYS_KINDS = (TaskKind.INITIAL_OASYS, TaskKind.OASYS_REVIEW, TaskKind.PRE_HANDOVER_OASYS)


def _keywork(*, prison: Prison, today: dt.date) -> dict:
    if not configuration_for_prison(prison=prison).is_enabled:
        return {"keywork_sessions": 0, "keywork_projected": 0, "keywork_delivery_percent": None}
    start = today - dt.timedelta(days=KEYWORK_PERIOD_DAYS - 1)
    kpis = prison_kpi_report(prison=prison, start=start, end=today, today=today).current
    return {
        "keywork_sessions": kpis.sessions,
        "keywork_projected": kpis.projected_sessions,
        "keywork_delivery_percent": calc.percent(kpis.sessions, kpis.projected_sessions),
    }


def _handover_meetings(*, prison: Prison, today: dt.date) -> dict:
    try:
        tasks = task_list(prison=prison, today=today, kind=TaskKind.HANDOVER_MEETING)
    except NotImplementedError:  # the task engine's selector is not written yet: nothing to measure
        return {"handover_meetings_due": 0, "handover_meetings_on_time": 0, "handover_meeting_percent": None}
    counts = (
        tasks.filter(due_date__gt=today - relativedelta(months=MEETING_PERIOD_MONTHS), due_date__lte=today)
        .exclude(status=TaskStatus.NOT_NEEDED)
        .aggregate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("due_date"))),
        )
    )
    return {
        "handover_meetings_due": counts["due"],
        "handover_meetings_on_time": counts["on_time"],
        "handover_meeting_percent": calc.percent(counts["on_time"], counts["due"]),
    }


def _oasys_overdue(*, prison: Prison, today: dt.date) -> int:
    try:
        by_kind = overdue_counts(prison=prison, today=today)["by_kind"]
    except NotImplementedError:
        return 0
    return sum(n for kind, n in by_kind.items() if kind in OASYS_KINDS)


def _allocation(*, prison: Prison, today: dt.date) -> dict:
    counts = allocation_list_counts(prison=prison)
    rows = allocation_list(prison=prison, which=TO_ALLOCATE).values_list("prison_arrival_date", "last_deallocated")
    waits = [days_waiting(arrival=arrival, last_deallocated=last, today=today) for arrival, last in rows]
    return {
        "unallocated": counts[TO_ALLOCATE],
        "missing_details": counts[MISSING_DETAILS],
        "unallocated_median_wait_days": calc.median(waits),
    }


def _poms(*, prison: Prison, today: dt.date) -> dict:
    capacity = over_capacity_limit()
    workloads = [w for w in pom_workload_list(prison=prison, today=today) if w.total or w.pom.status == "active"]
    loads = [w.per_fte for w in workloads]
    return {
        "poms": len(workloads),
        "pom_fte": sum((w.pom.working_pattern for w in workloads), Decimal(0)),
        "load_per_fte_median": calc.median(loads),
        "load_per_fte_max": max(loads, default=None),
        "poms_over_capacity": sum(1 for load in loads if load > capacity),
    }


def prison_measures(*, prison: Prison, today: dt.date) -> dict:
    """The prison's measures as they stand ``today``: the fields of a PrisonMeasureSnapshot."""
    handovers = handover_counts(scope=HandoverScope(prison=prison), today=today)
    return {
        "prisoners": Prisoner.objects.filter(prison=prison).count(),
        **_keywork(prison=prison, today=today),
        **_handover_meetings(prison=prison, today=today),
        "oasys_overdue": _oasys_overdue(prison=prison, today=today),
        **_allocation(prison=prison, today=today),
        **_poms(prison=prison, today=today),
        "com_allocation_overdue": handovers["com_overdue"],
    }


def measures_snapshot_record(*, prison: Prison, today: dt.date) -> PrisonMeasureSnapshot:
    """Record (or replace) the prison's measures for ``today``."""
    figures = prison_measures(prison=prison, today=today)
    with transaction.atomic():
        snapshot, _ = PrisonMeasureSnapshot.objects.update_or_create(
            prison=prison, date=today, defaults={**figures, "refreshed_at": timezone.now()}
        )
    return snapshot


def measures_snapshot_all(*, today: dt.date, prison_codes=None, progress=None) -> dict:
    """Record every prison's measures (or those of ``prison_codes``). ``progress`` is a text stream for a tqdm bar
    (None: no bar). Returns how many prisons were recorded and how many failed."""
    prisons = Prison.objects.order_by("code")
    if prison_codes:
        prisons = prisons.filter(code__in=[c.upper() for c in prison_codes])
    prisons = list(prisons)
    recorded = failed = 0
    with tqdm(total=len(prisons), file=progress, disable=progress is None, unit="prison") as bar:
        for prison in prisons:
            try:
                measures_snapshot_record(prison=prison, today=today)
            except Exception:  # one prison's bad data must not stop the others' figures
                logger.exception("OMiC measures snapshot failed for %s on %s", prison.code, today)
                failed += 1
            else:
                recorded += 1
            bar.update(1)
    return {"recorded": recorded, "failed": failed}
