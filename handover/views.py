"""Handover pages: the four handover lists (a POM's own cases; the whole prison or one POM for the OMU managers),
the prison's open handover alerts and the community pipeline. The per-case pages are in ``handover.case_views``.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.scoping import prison_page, role_page
from cases.selectors import prison_list_for_user
from handover.forms import AlertFilterForm
from handover.selectors import (
    ALERT_KINDS,
    SORTS,
    TABS,
    HandoverScope,
    alert_counts,
    alert_list,
    community_pipeline_list,
    community_pipeline_summary,
    handover_counts,
    handover_list,
    pom_profile_get,
    pom_profile_list_for_filter,
)
from omic.exports import csv_response

PAGE_SIZE = 50
RESPONSIBILITY_CSV = {"CustodyOnly": "POM", "CustodyWithCom": "POM (COM supporting)", "Community": "COM"}


def _days(day, today):
    return "" if day is None else (day - today).days


def _csv_rows(rows, today):
    for row in rows:
        prisoner = row.prisoner
        case_information = getattr(prisoner, "case_information", None)
        com = case_information.com if case_information is not None else None
        yield [
            prisoner.prison_number,
            prisoner.last_name,
            prisoner.first_name,
            row.handover_start_date,
            row.handover_date,
            _days(row.handover_date, today),
            RESPONSIBILITY_CSV.get(row.effective_responsibility, ""),
            "yes" if row.overridden else "no",
            com.name if com else "",
            com.email if com else "",
            " ".join(filter(None, [row.pom_first_name, row.pom_last_name])),
            case_information.tier if case_information is not None else "",
            row.get_handover_type_display(),
        ]


CSV_HEADER = [
    "prison_number",
    "last_name",
    "first_name",
    "handover_start_date",
    "handover_date",
    "days_to_handover",
    "responsible",
    "overridden_to_com",
    "com_name",
    "com_email",
    "pom",
    "tier",
    "handover_type",
]


def _handover_list_page(request, *, scope: HandoverScope, mine: bool, extra_params: dict, context: dict):
    today = timezone.localdate()
    tab = request.GET.get("tab", "upcoming")
    tab = tab if tab in TABS else "upcoming"
    sort = request.GET.get("sort", "handover")
    sort = sort if sort in SORTS else "handover"
    rows = handover_list(scope=scope, tab=tab, today=today, sort=sort)
    if request.GET.get("format") == "csv":
        who = "mine" if mine else (f"pom-{scope.pom.pk}" if scope.pom else "prison")
        return csv_response(
            filename=f"handovers-{scope.prison.code}-{who}-{tab}.csv",
            header=CSV_HEADER,
            rows=_csv_rows(rows.iterator(chunk_size=500), today),
        )
    counts = handover_counts(scope=scope, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "url": "?" + urlencode({**extra_params, "tab": key}),
            "current": key == tab,
        }
        for key, label in TABS.items()
    ]
    columns = [
        {
            "key": key,
            "label": label,
            "url": "?" + urlencode({**extra_params, "tab": tab, "sort": key}),
            "current": key == sort,
        }
        for key, (label, _) in SORTS.items()
    ]
    return render(
        request,
        "handover/handover_list.html",
        {
            **context,
            "prison": scope.prison,
            "mine": mine,
            "today": today,
            "tab": tab,
            "tab_label": TABS[tab],
            "tabs": tabs,
            "columns": {c["key"]: c for c in columns},
            "page": page,
            "query": urlencode({**extra_params, "tab": tab, "sort": sort}),
            "csv_url": "?" + urlencode({**extra_params, "tab": tab, "sort": sort, "format": "csv"}),
        },
    )


@prison_page(perm="handover.view_handovers")
def handover_list_mine(request):
    """'Your handovers': the POM's own cases (primary or co-working). A manager who is not a POM sees the prison's."""
    if not request.user.has_perm("handover.view_own_handovers"):
        return redirect("handover_list_prison", prison_code=request.prison.code)
    scope = HandoverScope(prison=request.prison, user=request.user)
    alerts = list(alert_list(prison=request.prison, user=request.user)[:100])
    return _handover_list_page(
        request,
        scope=scope,
        mine=True,
        extra_params={},
        context={"alerts": alerts, "alert_kinds": ALERT_KINDS},
    )


@prison_page(perm="handover.view_prison_handovers")
def handover_list_prison(request):
    """The whole prison's handover lists, or one POM's with ``?pom=<id>``: for the HOMD and HOMS."""
    pom = pom_profile_get(prison=request.prison, pom_id=request.GET.get("pom"))
    scope = HandoverScope(prison=request.prison, pom=pom)
    return _handover_list_page(
        request,
        scope=scope,
        mine=False,
        extra_params={"pom": pom.pk} if pom else {},
        context={"pom": pom, "poms": pom_profile_list_for_filter(prison=request.prison)},
    )


@prison_page(perm="handover.view_alerts")
def handover_alert_list(request):
    """The prison's open handover alerts, soonest due first, filtered by kind."""
    form = AlertFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    alerts = alert_list(prison=request.prison, kind=kind)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "handover/alert_list.html",
        {
            "prison": request.prison,
            "form": form,
            "kind": kind,
            "kind_label": ALERT_KINDS.get(kind, ""),
            "alert_kinds": ALERT_KINDS,
            "counts": alert_counts(prison=request.prison),
            "page": page,
            "query": urlencode({"kind": kind}) if kind else "",
        },
    )


PIPELINE_CSV_HEADER = [
    "prison_number",
    "last_name",
    "first_name",
    "prison",
    "tier",
    "handover_start_date",
    "handover_date",
    "ldu_code",
    "probation_region",
    "com_name",
]


def _pipeline_rows(rows):
    for row in rows:
        prisoner = row.prisoner
        case_information = getattr(prisoner, "case_information", None)
        ldu = case_information.local_delivery_unit if case_information is not None else None
        com = case_information.com if case_information is not None else None
        yield [
            prisoner.prison_number,
            prisoner.last_name,
            prisoner.first_name,
            prisoner.prison_id,
            case_information.tier if case_information is not None else "",
            row.handover_start_date,
            row.handover_date,
            ldu.code if ldu else "",
            ldu.probation_region if ldu else "",
            com.name if com else "",
        ]


@role_page(perm="handover.view_community_pipeline")
def community_pipeline(request):
    """Cases whose handover starts in the next 3 months, per delivery unit and per probation region.

    OMU managers see the counts and the named cases of their own prisons (CSV too); national viewers see the counts
    across every prison, never names (DECISIONS.md D-17)."""
    today = timezone.localdate()
    can_see_cases = request.user.has_perm("handover.view_community_pipeline_cases")
    prisons = prison_list_for_user(user=request.user) if can_see_cases else None
    ldu_code = request.GET.get("ldu", "").strip()[:20]
    region = request.GET.get("region", "").strip()[:80]
    context = {
        "today": today,
        "can_see_cases": can_see_cases,
        "prisons": prisons,
        "summary": community_pipeline_summary(today=today, prisons=prisons),
        "ldu_code": ldu_code,
        "region": region,
    }
    if ldu_code or region:
        if not can_see_cases:
            raise PermissionDenied("National viewers see the counts only")
        rows = community_pipeline_list(today=today, prisons=prisons, ldu_code=ldu_code, region=region)
        params = {"ldu": ldu_code} if ldu_code else {"region": region}
        if request.GET.get("format") == "csv":
            name = ldu_code or region.lower().replace(" ", "-")
            return csv_response(
                filename=f"community-pipeline-{name}.csv",
                header=PIPELINE_CSV_HEADER,
                rows=_pipeline_rows(rows.iterator(chunk_size=500)),
            )
        context.update(
            {
                "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
                "query": urlencode(params),
                "csv_url": "?" + urlencode({**params, "format": "csv"}),
            }
        )
    return render(request, "handover/community_pipeline.html", context)
