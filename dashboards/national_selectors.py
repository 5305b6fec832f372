"""Reads for the national and regional OMiC measures: each prison's latest snapshot, and the trend of the totals.

Everything comes from the daily snapshots (``PrisonMeasureSnapshot``), so the page runs a fixed number of queries
whatever the number of prisons or cases, and says when each figure was worked out. National and regional viewers
read aggregates only (DECISIONS.md D-17): no prisoner appears here.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum

from cases.models import Prison
from dashboards import calculations as calc
from dashboards.models import PrisonMeasureSnapshot

TREND_DAYS = 28
MEASURE_FIELDS = (
    "prisoners",
    "keywork_sessions",
    "keywork_projected",
    "keywork_delivery_percent",
    "handover_meetings_due",
    "handover_meetings_on_time",
    "handover_meeting_percent",
    "oasys_overdue",
    "unallocated",
    "unallocated_median_wait_days",
    "missing_details",
    "poms",
    "pom_fte",
    "load_per_fte_median",
    "load_per_fte_max",
    "poms_over_capacity",
    "com_allocation_overdue",
)


@dataclass(frozen=True)
class Region:
    """The slice of the estate a regional viewer looks at: a country and/or an estate type (blank: all)."""

    country: str = ""
    estate: str = ""

    def prisons(self) -> QuerySet[Prison]:
        qs = Prison.objects.all()
        if self.country:
            qs = qs.filter(country=self.country)
        if self.estate:
            qs = qs.filter(estate=self.estate)
        return qs


PLACES = {
    f.name: Decimal(1).scaleb(-f.decimal_places)
    for f in PrisonMeasureSnapshot._meta.fields
    if f.get_internal_type() == "DecimalField"
}


def _decimal(name: str, value):
    """A decimal figure as stored (SQLite hands a subquery's decimal back as a number), e.g. 75 -> 75.0."""
    return Decimal(str(value)).quantize(PLACES[name]) if name in PLACES and value is not None else value


def measure_rows(*, region: Region) -> list[dict]:
    """One row per prison in the region: its latest snapshot's figures with ``date`` and ``refreshed_at``, or only
    the prison (``date`` None) where none has been recorded yet. One query."""
    latest = PrisonMeasureSnapshot.objects.filter(prison=OuterRef("code")).order_by("-date")
    annotations = {name: Subquery(latest.values(name)[:1]) for name in ("date", "refreshed_at", *MEASURE_FIELDS)}
    rows = region.prisons().annotate(**{f"m_{k}": v for k, v in annotations.items()}).order_by("name")
    result = []
    for prison in rows:
        row = {"code": prison.code, "name": prison.name, "estate": prison.get_estate_display()}
        row.update({k: _decimal(k, getattr(prison, f"m_{k}")) for k in annotations})
        result.append(row)
    return result


def _totals(rows) -> dict:
    return {
        "keywork_delivery_percent": calc.percent(rows["keywork_sessions"] or 0, rows["keywork_projected"] or 0),
        "handover_meeting_percent": calc.percent(
            rows["handover_meetings_on_time"] or 0, rows["handover_meetings_due"] or 0
        ),
        **{k: rows[k] or 0 for k in ("unallocated", "oasys_overdue", "com_allocation_overdue", "poms_over_capacity")},
    }


@dataclass(frozen=True)
class TrendDay:
    date: dt.date
    prisons: int
    keywork_delivery_percent: object
    handover_meeting_percent: object
    unallocated: int
    oasys_overdue: int
    com_allocation_overdue: int
    poms_over_capacity: int


def measure_trend(*, region: Region, today: dt.date, days: int = TREND_DAYS) -> list[TrendDay]:
    """The region's totals on each recorded day of the last ``days`` days, newest first. Percentages are of the
    summed counts (sessions held of sessions projected; meetings on time of meetings due). One query."""
    since = today - dt.timedelta(days=days - 1)
    summed = ("keywork_sessions", "keywork_projected", "handover_meetings_due", "handover_meetings_on_time",
              "unallocated", "oasys_overdue", "com_allocation_overdue", "poms_over_capacity")  # fmt: skip
    rows = (
        PrisonMeasureSnapshot.objects.filter(prison__in=region.prisons(), date__gte=since, date__lte=today)
        .values("date")
        .annotate(prisons=Count("pk"), **{k: Sum(k) for k in summed})
        .order_by("-date")
    )
    return [TrendDay(date=r["date"], prisons=r["prisons"], **_totals(r)) for r in rows]
