"""Key work pages for heads of OMU: the dashboard (KPIs, weekly trend, key workers, CSV) and the prison's key work
standard. Every page is under /prisons/<code>/key-work/ and scoped by cases.scoping.prison_page."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from cases.scoping import prison_page
from keywork.charts import trend_chart
from keywork.forms import ConfigurationForm, PeriodForm
from keywork.kpi_selectors import key_worker_kpis, prison_kpi_report
from keywork.recording_selectors import caseload_for_key_worker, quality_unrated_count
from keywork.selectors import configuration_for_prison, prisoner_allocation_list
from keywork.services import configuration_update
from omic.exports import csv_response


@prison_page(perm="keywork.view_key_work")
def keywork_home(request):
    """The "Key work" navigation item: each role's next actions first (a key worker: their prisoners; a head of OMU:
    the settings, allocating, the dashboard and the quality checks), then the other key work pages they open."""
    prison, user = request.prison, request.user
    config = configuration_for_prison(prison=prison)
    today = timezone.localdate()
    caseload = None
    if user.has_perm("keywork.view_own_caseload", prison):
        caseload = caseload_for_key_worker(user=user, prison=prison, today=today)
    steps = []
    if user.has_perm("keywork.change_configuration", prison):
        steps.append(
            (
                "keywork_configuration",
                "Key work settings",
                "Session frequency and length, caseloads and auto-allocation for this prison",
                "",
            )
        )
    if config.is_enabled and user.has_perm("keywork.allocate", prison):
        waiting = prisoner_allocation_list(prison=prison, config=config, show="unallocated").count()
        auto = config.allow_auto_allocation and user.has_perm("keywork.auto_allocate", prison)
        steps.append(
            (
                "keywork_auto_allocation" if auto else "keywork_allocations",
                "Auto-allocate key workers" if auto else "Allocate key workers",
                f"{waiting} eligible prisoner{pluralize(waiting)} without a key worker",
                "",
            )
        )
    if user.has_perm("keywork.view_dashboard", prison):
        steps.append(
            (
                "keywork_dashboard",
                "Key work dashboard",
                "Sessions held against the model, by week and by key worker",
                "",
            )
        )
    if user.has_perm("keywork.review_quality", prison):
        unrated = quality_unrated_count(prison=prison)
        steps.append(
            (
                "keywork_quality_list",
                "Key work quality checks",
                f"{unrated} sampled entr{pluralize(unrated, 'y,ies')} waiting to be checked",
                "",
            )
        )
    others = [
        ("keywork_allocations", "Who has a key worker", "Who has one, who does not, and who is not eligible",
         "keywork.view_allocations"),
        ("keywork_key_workers", "Key workers", "Status, capacity and caseloads", "keywork.manage_key_workers"),
    ]  # fmt: skip
    done = {name for name, *_ in steps}
    pages = [row for row in others if row[0] not in done and user.has_perm(row[3], prison)]
    return render(
        request,
        "keywork/home.html",
        {
            "prison": prison,
            "config": config,
            "caseload": caseload,
            "steps": [_link(prison, *row) for row in steps],
            "pages": [_link(prison, *row) for row in pages],
        },
    )


def _link(prison, name: str, label: str, hint: str, _perm: str) -> dict:
    return {"url": reverse(name, kwargs={"prison_code": prison.code}), "label": label, "hint": hint}


def _period(request, today: dt.date):
    default = {"start": today - relativedelta(months=1), "end": today}
    form = PeriodForm(request.GET if "start" in request.GET or "end" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


KEY_WORKER_COLUMNS = [
    ("key_worker", lambda w: w.name),
    ("status", lambda w: w.status),
    ("prisoners_now", lambda w: w.allocated_now),
    ("capacity", lambda w: w.capacity),
    ("allocations_in_period", lambda w: w.allocations),
    ("projected_sessions", lambda w: w.projected_sessions),
    ("sessions", lambda w: w.sessions),
    ("entries", lambda w: w.entries),
    ("compliance_percent", lambda w: w.compliance),
]
WEEK_COLUMNS = [
    ("week_start", lambda w: w.week_start),
    ("week_end", lambda w: w.week_end),
    ("projected_sessions", lambda w: w.projected_sessions),
    ("sessions", lambda w: w.sessions),
    ("compliance_percent", lambda w: w.compliance),
]


@prison_page(perm="keywork.view_dashboard")
def dashboard(request):
    today = timezone.localdate()
    form, start, end = _period(request, today)
    export = request.GET.get("format")
    if export in ("csv", "weeks") and form.is_bound and form.errors:  # never a file for a period that was refused
        return HttpResponseBadRequest(" ".join(str(e) for errors in form.errors.values() for e in errors))
    report = prison_kpi_report(prison=request.prison, start=start, end=end, today=today)
    workers = key_worker_kpis(prison=request.prison, start=start, end=end, config=report.config)
    if export in ("csv", "weeks"):
        columns, rows, name = (
            (KEY_WORKER_COLUMNS, workers, "key-workers") if export == "csv" else (WEEK_COLUMNS, report.weeks, "weeks")
        )
        return csv_response(
            filename=f"key-work-{name}-{request.prison.code}-{start}-to-{end}.csv",
            header=[column for column, _ in columns],
            rows=([value(row) for _, value in columns] for row in rows),
        )
    query = f"start={start.isoformat()}&end={end.isoformat()}"
    current, previous = report.current, report.previous
    tiles = [
        ("Active key workers", current.active_key_workers, previous.active_key_workers, ""),
        ("Eligible prisoners", current.eligible, previous.eligible, ""),
        ("Prisoners with a key worker", current.percentage_assigned, previous.percentage_assigned, "%"),
        ("Projected sessions", current.projected_sessions, previous.projected_sessions, ""),
        ("Sessions recorded", current.sessions, previous.sessions, ""),
        ("Compliance", current.compliance, previous.compliance, "%"),
        ("Average session length (minutes)", current.average_session_minutes, previous.average_session_minutes, ""),
        ("Days from reception to allocation", current.reception_to_allocation_days,
         previous.reception_to_allocation_days, ""),
        ("Days from reception to first session", current.reception_to_session_days,
         previous.reception_to_session_days, ""),
    ]  # fmt: skip
    return render(
        request,
        "keywork/dashboard.html",
        {
            "prison": request.prison,
            "form": form,
            "report": report,
            "tiles": [{"label": t[0], "now": t[1], "before": t[2], "unit": t[3]} for t in tiles],
            "workers": workers,
            "chart": trend_chart(report.weeks),
            "csv_url": f"?{query}&format=csv",
            "weeks_csv_url": f"?{query}&format=weeks",
            "can_configure": request.user.has_perm("keywork.change_configuration", request.prison),
        },
    )


@prison_page(perm="keywork.change_configuration")
def configuration(request):
    config = configuration_for_prison(prison=request.prison)
    form = ConfigurationForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            configuration_update(prison=request.prison, values=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Key work settings saved")
            return redirect("keywork_configuration", prison_code=request.prison.code)
    return render(request, "keywork/configuration.html", {"prison": request.prison, "form": form})
