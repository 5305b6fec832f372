"""The POM caseload page ("Your cases"): tabs, summary counts, filter by role, search, sort, pagination and a CSV of
the filtered view. A HOMD (any OMU manager) opens any POM's caseload with ``?pom=<id>``."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cases.params import positive_id
from cases.scoping import prison_page
from dashboards.caseload_calculations import ROLE_FILTERS, ROLE_LABELS, SORTS, TAB_HELP, TABS
from dashboards.caseload_selectors import caseload_for_pom, caseload_rows, pom_choices, pom_for_user, pom_get
from omic.exports import csv_response

PAGE_SIZE = 50
SEARCH_MAX = 100
RESPONSIBILITY_CSV = {"CustodyOnly": "POM", "CustodyWithCom": "POM (COM supporting)", "Community": "COM"}
CSV_HEADER = [
    "prison_number",
    "last_name",
    "first_name",
    "location",
    "tier",
    "role",
    "responsible",
    "overridden_to_com",
    "handover_date",
    "days_to_handover",
    "earliest_release_date",
    "earliest_release_type",
    "parole_date",
    "next_task",
    "next_task_due",
    "open_alerts",
]


def _csv_rows(rows, today):
    for r in rows:
        p = r.prisoner
        yield [
            p.prison_number,
            p.last_name,
            p.first_name,
            p.cell_location,
            r.tier,
            ROLE_LABELS[r.role],
            RESPONSIBILITY_CSV.get(r.responsibility, ""),
            "yes" if r.overridden else "no",
            r.handover_date,
            "" if r.handover_date is None else (r.handover_date - today).days,
            r.earliest_release_date,
            r.earliest_release_type,
            r.parole_date,
            r.next_task_label,
            r.next_task_due,
            "; ".join(a.message for a in r.alerts),
        ]


def _pom_for_request(request):
    """The POM whose caseload to show: ``?pom=<id>`` for an OMU manager, else the user's own POM record."""
    raw = request.GET.get("pom", "")
    is_manager = request.user.has_perm("dashboards.view_any_caseload", request.prison)
    own = pom_for_user(user=request.user, prison=request.prison)
    if raw:
        pom_id = positive_id(raw)
        if own is not None and pom_id == own.pk:
            return own, is_manager
        if not is_manager:
            raise PermissionDenied("Only the heads of offender management may open another POM's caseload")
        pom = pom_get(prison=request.prison, pom_id=pom_id) if pom_id else None
        if pom is None:
            raise Http404("No such POM in this prison")
        return pom, is_manager
    return own, is_manager


@prison_page(perm="dashboards.view_caseload")
def caseload(request):
    today = timezone.localdate()
    pom, is_manager = _pom_for_request(request)
    if pom is None:
        return render(
            request,
            "dashboards/caseload/choose.html",
            {"prison": request.prison, "is_manager": is_manager, "poms": pom_choices(prison=request.prison)},
        )
    own = pom.user_id == request.user.pk
    tab = request.GET.get("tab", "all")
    tab = tab if tab in TABS else "all"
    role = request.GET.get("role", "")
    role = role if role in ROLE_FILTERS else ""
    sort = request.GET.get("sort", "handover")
    sort = sort if sort in SORTS else "handover"
    search = request.GET.get("q", "").strip()[:SEARCH_MAX]

    data = caseload_for_pom(pom=pom, today=today)
    rows = caseload_rows(data, tab=tab, role=role, search=search, sort=sort)
    base = {} if own else {"pom": pom.pk}
    filters = {**base, **({"role": role} if role else {}), **({"q": search} if search else {})}
    if request.GET.get("format") == "csv":
        who = "mine" if own else f"pom-{pom.pk}"
        return csv_response(
            filename=f"caseload-{request.prison.code}-{who}-{tab}.csv", header=CSV_HEADER, rows=_csv_rows(rows, today)
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {
            "key": key,
            "label": label,
            "count": data.counts[key],
            "url": "?" + urlencode({**filters, "tab": key, "sort": sort}),
            "current": key == tab,
        }
        for key, label in TABS.items()
    ]
    columns = {
        key: {
            "label": label,
            "url": "?" + urlencode({**filters, "tab": tab, "sort": key}),
            "current": key == sort,
        }
        for key, label in SORTS.items()
    }
    return render(
        request,
        "dashboards/caseload/caseload.html",
        {
            "prison": request.prison,
            "pom": pom,
            "own": own,
            "is_manager": is_manager,
            "poms": pom_choices(prison=request.prison) if is_manager else [],
            "today": today,
            "tab": tab,
            "tab_label": TABS[tab],
            "tab_help": TAB_HELP[tab],
            "tabs": tabs,
            "columns": columns,
            "role": role,
            "roles": ROLE_FILTERS,
            "search": search,
            "summary": data.summary,
            "page": page,
            "query": urlencode({**filters, "tab": tab, "sort": sort}),
            "csv_url": "?" + urlencode({**filters, "tab": tab, "sort": sort, "format": "csv"}),
        },
    )
