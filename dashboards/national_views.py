"""The regional and national view of the OMiC measures: a sortable comparison of prisons with a CSV, and the trend
of the totals, all read from the daily snapshots (``manage.py measures_snapshot``), with when each was worked out."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone

from cases.models import Prison
from cases.scoping import role_page
from dashboards import calculations as calc
from dashboards.national_selectors import MEASURE_FIELDS, Region, measure_rows, measure_trend
from omic.db_router import use_replica
from omic.exports import csv_response

COUNTRIES = dict(Prison._meta.get_field("country").choices)
ESTATES = dict(Prison._meta.get_field("estate").choices)


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


@role_page(perm="dashboards.view_national_measures")
def national_measures(request):
    today = timezone.localdate()
    region = Region(
        country=_choice(request.GET.get("country", ""), COUNTRIES),
        estate=_choice(request.GET.get("estate", ""), ESTATES),
    )
    sort = _choice(request.GET.get("sort", ""), calc.NATIONAL_SORTS) or "prison"
    default_desc = calc.NATIONAL_SORTS[sort][2]
    direction = request.GET.get("dir", "")
    descending = {"desc": True, "asc": False}.get(direction, default_desc)
    with use_replica():  # a read replica when one is configured (omic/db_router.py)
        rows = calc.sort_rows(measure_rows(region=region), key=sort, descending=descending)
    if request.GET.get("format") == "csv":
        header = ["prison_code", "prison_name", "estate", "date", "refreshed_at", *MEASURE_FIELDS]
        return csv_response(
            filename=f"omic-measures-{today.isoformat()}.csv",
            header=header,
            rows=(
                [r["code"], r["name"], r["estate"], r["date"], r["refreshed_at"], *(r[k] for k in MEASURE_FIELDS)]
                for r in rows
            ),  # fmt: skip
        )
    filters = {k: v for k, v in {"country": region.country, "estate": region.estate}.items() if v}
    columns = []
    for key, (label, _, desc_first) in calc.NATIONAL_SORTS.items():
        current = key == sort
        next_desc = (not descending) if current else desc_first
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + urlencode({**filters, "sort": key, "dir": "desc" if next_desc else "asc"}),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    recorded = [r["refreshed_at"] for r in rows if r["refreshed_at"] is not None]
    with use_replica():
        trend = measure_trend(region=region, today=today)
    return render(
        request,
        "dashboards/national/measures.html",
        {
            "rows": rows,
            "columns": columns,
            "trend": trend,
            "region": region,
            "countries": COUNTRIES,
            "estates": ESTATES,
            "csv_url": "?"
            + urlencode({**filters, "sort": sort, "dir": "desc" if descending else "asc", "format": "csv"}),
            "oldest_refresh": min(recorded, default=None),
            "newest_refresh": max(recorded, default=None),
            "not_recorded": sum(1 for r in rows if r["date"] is None),
            "today": today,
        },
    )
