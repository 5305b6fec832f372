"""Reads for the HOMD dashboard: one tile per list, each counted by the selector that builds the list it links to.

A tile's count is never worked out a second way: the To allocate tile counts with ``allocation_list_counts``, the
handover tiles with ``handover_counts``, the casework tiles with the casework selectors, and so on. So a tile and its
list cannot disagree (tests/dashboards/test_dashboard_counts.py checks each against its page).

Every read is one or a fixed few queries, whatever the caseload. Where a list another helper owns is not built yet
(its selector raises NotImplementedError or its URL is not there), the tile says so instead of showing a number.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from allocation.calculations import days_waiting
from allocation.list_selectors import MISSING_DETAILS, TO_ALLOCATE, allocation_list, allocation_list_counts
from allocation.selectors import PomWorkload, pom_workload_list, workload_weights_configured
from allocation.staff_selectors import over_capacity_limit
from cases.models import Prison
from casework.early_allocation_selectors import early_allocation_pending_list
from casework.models import TaskKind
from casework.parole_selectors import parole_approaching_list
from casework.task_selectors import overdue_counts
from handover.selectors import TABS as HANDOVER_TABS
from handover.selectors import HandoverScope, handover_counts
from keywork.kpi_selectors import prison_kpis_this_week_and_month
from keywork.selectors import configuration_for_prison
from omic.db_router import use_replica

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int | Decimal | None  # None: the figure is not available (the list is not built yet, or key work is off)
    url: str | None
    detail: str = ""
    unit: str = ""


@dataclass
class Section:
    title: str
    tiles: list[Tile] = field(default_factory=list)


def _url(name: str, prison: Prison, **params) -> str | None:
    try:
        url = reverse(name, kwargs={"prison_code": prison.code})
    except NoReverseMatch:  # another helper's page, not wired yet
        return None
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return url + ("?" + urlencode(params) if params else "")


def _size(rows) -> int:
    count = getattr(rows, "count", None)
    return rows.count() if callable(count) and not isinstance(rows, list) else len(rows)


def _allocation_tiles(*, prison: Prison, today: dt.date) -> list[Tile]:
    counts = allocation_list_counts(prison=prison)
    detail = "Nobody is waiting"
    if counts[TO_ALLOCATE]:
        # The first row of the list sorted by "Days waiting": the longest wait, as the list shows it.
        first = allocation_list(prison=prison, which=TO_ALLOCATE, sort="waiting").first()
        oldest = days_waiting(arrival=first.prison_arrival_date, last_deallocated=first.last_deallocated, today=today)
        detail = "Waiting time not known" if oldest is None else f"Longest wait: {oldest} day{'s' * (oldest != 1)}"
    return [
        Tile("to_allocate", "To allocate", counts[TO_ALLOCATE], _url("allocation_to_allocate", prison), detail),
        Tile(
            "missing_details",
            "Missing details",
            counts[MISSING_DETAILS],
            _url("allocation_missing_details", prison),
            "Cannot be allocated until the details are filled in",
        ),
    ]


HANDOVER_DETAIL = {
    "upcoming": "Handover date in the next 56 days, no COM yet",
    "in_progress": "COM responsible or supporting",
    "overdue_tasks": "Checklist not complete",
    "com_overdue": "No COM 2 or more days after the handover date",
}


def _handover_tiles(*, prison: Prison, today: dt.date) -> list[Tile]:
    counts = handover_counts(scope=HandoverScope(prison=prison), today=today)
    return [
        Tile(f"handover_{tab}", label, counts[tab], _url("handover_list_prison", prison, tab=tab), HANDOVER_DETAIL[tab])
        for tab, label in HANDOVER_TABS.items()
    ]


def _not_built(key: str, label: str, url: str | None) -> Tile:
    return Tile(key, label, None, url, "Not available yet")


def _casework_tiles(*, prison: Prison, today: dt.date) -> tuple[list[Tile], list[Tile]]:
    tiles = []
    try:
        pending = _size(early_allocation_pending_list(prison=prison))
        tiles.append(
            Tile(
                "early_allocation_pending",
                "Early allocation decisions pending",
                pending,
                _url("early_allocation_list", prison),
                "Waiting for your approval or the community decision",
            )
        )
    except NotImplementedError:
        tiles.append(_not_built("early_allocation_pending", "Early allocation decisions pending", None))
    try:
        approaching = _size(parole_approaching_list(prison=prison, today=today))
        tiles.append(
            Tile(
                "parole_approaching",
                "Parole approaching",
                approaching,
                _url("parole_approaching", prison),
                "A TED, PED or target hearing date in the next 10 months",
            )
        )
    except NotImplementedError:
        tiles.append(_not_built("parole_approaching", "Parole approaching", None))
    task_tiles = []
    try:
        overdue = overdue_counts(prison=prison, today=today)
    except NotImplementedError:
        task_tiles.append(_not_built("tasks_overdue", "Tasks overdue", None))
    else:
        task_tiles.append(
            Tile(
                "tasks_overdue",
                "Tasks overdue",
                overdue["total"],
                _url("task_overdue_summary", prison),
                "All kinds, by type and by POM",
            )
        )
        for kind, n in sorted(overdue["by_kind"].items(), key=lambda kv: (-kv[1], kv[0])):
            if n:
                label = TaskKind(kind).label if kind in TaskKind.values else kind
                task_tiles.append(
                    Tile(f"tasks_overdue_{kind}", label, n, _url("task_list", prison, state="overdue", kind=kind))
                )
    return tiles, task_tiles


def _keywork_tiles(*, prison: Prison, today: dt.date) -> list[Tile]:
    config = configuration_for_prison(prison=prison)
    if not config.is_enabled:
        return [Tile("keywork", "Key work delivery", None, _url("keywork_dashboard", prison), "Key work is off here")]
    tiles = []
    week, month = prison_kpis_this_week_and_month(prison=prison, today=today, config=config)
    for key, label, kpis in (
        ("keywork_week", "Key work delivery this week", week),
        ("keywork_month", "Key work delivery this month", month),
    ):
        compliance = None if kpis.compliance is None else Decimal(kpis.compliance)
        tiles.append(
            Tile(
                key,
                label,
                compliance,
                _url("keywork_dashboard", prison, start=kpis.start.isoformat(), end=kpis.end.isoformat()),
                f"{kpis.sessions} of {kpis.projected_sessions} sessions projected",
                unit="%",
            )
        )
    return tiles


@dataclass
class HomdDashboard:
    prison: Prison
    today: dt.date
    sections: list[Section]
    workloads: list[PomWorkload]
    capacity: Decimal
    worked_out_at: dt.datetime

    def tile(self, key: str) -> Tile:
        return next(t for s in self.sections for t in s.tiles if t.key == key)


def homd_dashboard(*, prison: Prison, today: dt.date) -> HomdDashboard:
    """Every tile of the unit dashboard and each POM's workload (for the caseload distribution)."""
    capacity = over_capacity_limit()
    workloads = pom_workload_list(prison=prison, today=today, weights=workload_weights_configured())
    over = sum(1 for w in workloads if w.per_fte > capacity)
    casework, tasks = _casework_tiles(prison=prison, today=today)
    staff = Tile(
        "poms_over_capacity",
        "POMs over capacity",
        over,
        "#distribution",  # the caseload distribution below marks each POM over capacity
        f"Weighted load per FTE over {capacity}",
    )
    return HomdDashboard(
        prison=prison,
        today=today,
        sections=[
            Section("Allocation", _allocation_tiles(prison=prison, today=today)),
            Section("Handovers", _handover_tiles(prison=prison, today=today)),
            Section("Early allocation and parole", casework),
            Section("Tasks overdue", tasks),
            Section("Key work and POMs", [*_keywork_tiles(prison=prison, today=today), staff]),
        ],
        workloads=workloads,
        capacity=capacity,
        worked_out_at=timezone.now(),
    )


# The dashboard is worked out at most this often per prison (setting HOMD_DASHBOARD_CACHE_SECONDS); the page says
# when, and "Refresh the figures" works them out again at once.
DEFAULT_CACHE_SECONDS = 120


def cache_seconds() -> int:
    return int(getattr(settings, "HOMD_DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def _cache_key(prison: Prison, today: dt.date) -> str:
    return f"dashboards:homd:{prison.code}:{today.isoformat()}"


def homd_dashboard_cached(*, prison: Prison, today: dt.date, refresh: bool = False) -> HomdDashboard:
    """The dashboard from the cache (Redis in production) if it was worked out in the last couple of minutes,
    else worked out now and kept. ``refresh`` always works it out now."""
    key = _cache_key(prison, today)
    board = None if refresh else cache.get(key)
    if board is None:
        with use_replica():  # a read replica when one is configured (omic/db_router.py)
            board = homd_dashboard(prison=prison, today=today)
        if cache_seconds() > 0:
            cache.set(key, board, cache_seconds())
    return board
