"""Pure calculations for the HOMD dashboard and the national OMiC measures: no ORM, no settings, no clock.

The selectors gather the facts (counts, dates, each POM's case mix) and pass them in with ``today``.

- Waiting times (omic-requirements.md 5.2 D-01): days since the later of arrival and the last deallocation, the
  oldest and the median across the unallocated cases.
- Percentages: a share of a whole, to one decimal place; ``None`` when the whole is 0 (nothing to measure), so a
  page can say "No data" rather than 0% or 100%.
- The caseload chart (5.2 D-03): each POM's weighted load per FTE as a bar split by tier, with the capacity line,
  laid out as plain numbers for a server-rendered SVG (no script, no inline style).
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` as a percentage to one decimal place, None when ``whole`` is 0."""
    if whole < 0 or part < 0:
        raise ValueError("counts are never negative")
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def median(values: Iterable) -> Decimal | None:
    """The median of the values (the mean of the middle two for an even count), None for none."""
    ordered = sorted(Decimal(str(v)) for v in values if v is not None)
    if not ordered:
        return None
    mid = len(ordered) // 2
    value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def days_since(day: dt.date | None, *, today: dt.date) -> int | None:
    """Whole days from ``day`` to ``today`` (0 for a day in the future: a wait never goes negative)."""
    return None if day is None else max((today - day).days, 0)


def oldest_wait_days(waiting_since: Iterable[dt.date | None], *, today: dt.date) -> int | None:
    """The longest wait in days among the cases (their ``waiting_since`` days); None when no case has a date."""
    days = [d for d in (days_since(day, today=today) for day in waiting_since) if d is not None]
    return max(days, default=None)


def median_wait_days(waiting_since: Iterable[dt.date | None], *, today: dt.date) -> Decimal | None:
    return median(days_since(day, today=today) for day in waiting_since)


def on_time(*, due: dt.date, done: dt.date | None) -> bool:
    """A task done on or before its due date (the handover meeting: within 4 weeks of the COM's allocation)."""
    return done is not None and done <= due


# The caseload distribution chart

CHART_WIDTH, ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, TOP, BOTTOM = 720, 28, 18, 170, 10, 30
TIER_COLOURS = {  # GOV.UK colours, distinguishable without colour too: the data table carries every figure.
    "A": "#003078",
    "B": "#1d70b8",
    "C": "#5694ca",
    "D": "#85994b",
    "E": "#b58840",
    "F": "#912b88",
    "G": "#6f72af",
    "": "#505a5f",
}


@dataclass(frozen=True)
class Segment:
    tier: str
    x: int
    width: int
    colour: str
    cases: int


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: int
    text_y: int
    segments: tuple[Segment, ...]
    per_fte: Decimal
    end_x: int
    over_capacity: bool


@dataclass(frozen=True)
class CaseloadChart:
    width: int
    height: int
    left: int
    plot_bottom: int
    capacity_x: int
    capacity: Decimal
    rows: tuple[ChartRow, ...]
    ticks: tuple[tuple[int, int], ...]
    legend: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PomLoad:
    """One POM as the chart sees them: name, FTE, weighted load per FTE, and the weighted load of each tier."""

    name: str
    fte: Decimal
    per_fte: Decimal
    load_by_tier: Mapping[str, Decimal]
    cases_by_tier: Mapping[str, int]


def caseload_chart(poms: Sequence[PomLoad], *, capacity: Decimal) -> CaseloadChart:
    """A horizontal bar per POM: the weighted load per FTE, split into the share each tier carries, with a line at
    the capacity (``POM_CAPACITY_PER_FTE``). The scale fits the largest bar or the capacity, whichever is larger."""
    top = max([Decimal(capacity), Decimal(1), *(p.per_fte for p in poms)])
    plot = CHART_WIDTH - LABEL_WIDTH - 20

    def x(value: Decimal) -> int:
        return LABEL_WIDTH + int(plot * value / top)

    rows = []
    tiers_seen: list[str] = []
    for i, pom in enumerate(poms):
        y = TOP + i * ROW_HEIGHT
        segments, start = [], Decimal(0)
        for tier, load in pom.load_by_tier.items():
            if load <= 0:
                continue
            if tier not in tiers_seen:
                tiers_seen.append(tier)
            share = load / pom.fte if pom.fte else Decimal(0)
            left, right = x(start), x(start + share)
            segments.append(Segment(tier, left, max(right - left, 1), TIER_COLOURS.get(tier, "#505a5f"),
                                    pom.cases_by_tier.get(tier, 0)))  # fmt: skip
            start += share
        rows.append(
            ChartRow(
                label=pom.name,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                segments=tuple(segments),
                per_fte=pom.per_fte,
                end_x=x(pom.per_fte) + 6,
                over_capacity=pom.per_fte > capacity,
            )
        )
    height = TOP + max(len(poms), 1) * ROW_HEIGHT + BOTTOM
    step = max(1, int(top) // 4)
    ticks = tuple((x(Decimal(v)), v) for v in range(0, int(top) + 1, step))
    order = [t for t in TIER_COLOURS if t in tiers_seen]
    legend = tuple((f"Tier {t}" if t else "No tier", TIER_COLOURS[t]) for t in order)
    return CaseloadChart(
        width=CHART_WIDTH,
        height=height,
        left=LABEL_WIDTH,
        plot_bottom=height - BOTTOM,
        capacity_x=x(Decimal(capacity)),
        capacity=Decimal(capacity),
        rows=tuple(rows),
        ticks=ticks,
        legend=legend,
    )


# The national comparison table

NATIONAL_SORTS = {
    # key: (label, value of a row for sorting, whether the highest comes first by default)
    "prison": ("Prison", lambda r: r["name"], False),
    "keywork": ("Key work delivery", lambda r: r["keywork_delivery_percent"], False),
    "meetings": ("Handover meetings on time", lambda r: r["handover_meeting_percent"], False),
    "oasys": ("OASys overdue", lambda r: r["oasys_overdue"], True),
    "unallocated": ("Unallocated", lambda r: r["unallocated"], True),
    "wait": ("Median wait", lambda r: r["unallocated_median_wait_days"], True),
    "poms": ("POMs", lambda r: r["poms"], True),
    "fte": ("POM FTE", lambda r: r["pom_fte"], True),
    "load": ("Median load per FTE", lambda r: r["load_per_fte_median"], True),
    "over": ("POMs over capacity", lambda r: r["poms_over_capacity"], True),
    "com": ("COM allocation overdue", lambda r: r["com_allocation_overdue"], True),
}


def sort_rows(rows: Sequence[dict], *, key: str, descending: bool) -> list[dict]:
    """Rows sorted by one of NATIONAL_SORTS; a row with no figure (None) always goes last, then by prison name."""
    value = NATIONAL_SORTS[key][1]
    present = [r for r in rows if value(r) is not None]
    missing = sorted((r for r in rows if value(r) is None), key=lambda r: r["name"])
    present.sort(key=lambda r: r["name"])
    present.sort(key=value, reverse=descending)
    return present + missing
