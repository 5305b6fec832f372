"""Key work pages for heads of OMU: the dashboard (KPIs, weekly trend, key workers, CSV) and the prison's key work
standard. Every page is under /prisons/<code>/key-work/ and scoped by cases.scoping.prison_page."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases.scoping import prison_page
from keywork.charts import trend_chart
from keywork.forms import ConfigurationForm, PeriodForm
from keywork.kpi_selectors import key_worker_kpis, prison_kpi_report
from keywork.selectors import configuration_for_prison
from keywork.services import configuration_update
from omic.exports import csv_response


@prison_page(perm="keywork.view_key_work")
def keywork_home(request):
    """The "Key work" navigation item: the key work pages this user's role opens, and the prison's standard."""
    prison = request.prison
    links = [
        ("keywork_dashboard", "Key work dashboard", "Delivery against the model, by week and by key worker",
         "keywork.view_dashboard"),
        ("keywork_allocations", "Allocate key workers", "Who has a key worker, who does not, and who is not eligible",
         "keywork.view_allocations"),
        ("keywork_auto_allocation", "Auto-allocate key workers", "Propose key workers for everyone without one",
         "keywork.auto_allocate"),
        ("keywork_key_workers", "Key workers", "Status, capacity and caseloads", "keywork.manage_key_workers"),
        ("keywork_configuration", "Key work settings", "Frequency, session length and caseloads for this prison",
         "keywork.change_configuration"),
        ("keywork_my_prisoners", "My prisoners", "The prisoners you are key worker for, and who is due a session",
         "keywork.view_key_work"),
    ]  # fmt: skip
    pages = []
    for name, label, hint, perm in links:
        if not request.user.has_perm(perm, prison):
            continue
        try:
            pages.append({"url": reverse(name, kwargs={"prison_code": prison.code}), "label": label, "hint": hint})
        except NoReverseMatch:  # a page of the recording side that is not there yet
            continue
    return render(
        request,
        "keywork/home.html",
        {"prison": prison, "pages": pages, "config": configuration_for_prison(prison=prison)},
    )


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
    report = prison_kpi_report(prison=request.prison, start=start, end=end, today=today)
    workers = key_worker_kpis(prison=request.prison, start=start, end=end, config=report.config)
    export = request.GET.get("format")
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
