"""Management oversight pages, under /prisons/<code>/oversight/: the HOMD's overview (each POM's sample this month
with its status, results per POM and per question, CSV), the audit form, actions for the POM, a case added by hand,
the sample size, and a POM's own page with the outcome of their audits and their actions."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.scoping import prison_page
from omic.exports import csv_response
from oversight.calculations import action_status, month_start, months_back, parse_month
from oversight.forms import ActionForm, AddCaseForm, AuditForm, SettingsForm, apply_service_errors
from oversight.models import SHORT_LABELS, OversightAudit
from oversight.selectors import (
    action_get_for_pom,
    audit_get,
    audits_for_pom,
    month_overview,
    results_by_pom,
    results_by_question,
    sample_size_for_prison,
)
from oversight.services import (
    oversight_action_add,
    oversight_action_done,
    oversight_audit_complete,
    oversight_case_add,
    oversight_sample_draw,
    oversight_settings_update,
)

PERIODS = {1: "This month only", 3: "3 months to this month", 12: "12 months to this month"}
QUESTION_LABELS = dict((*OversightAudit.QUESTIONS, OversightAudit.OVERALL))


def _month_from(value: str | None, *, default: dt.date) -> dt.date:
    try:
        month = parse_month(value or "")
    except ValueError:
        return default
    return min(month, default)


def _overview_url(prison, month: dt.date) -> str:
    return reverse("oversight_home", kwargs={"prison_code": prison.code}) + f"?month={month:%Y-%m}"


def _results_csv(*, prison, first: dt.date, last: dt.date, results: list[dict], totals):
    header = ["from_month", "to_month", "pom", "audits_completed", "mean_score"]
    for name in SHORT_LABELS:
        header += [f"{name}_yes", f"{name}_partly", f"{name}_no"]
    period = [f"{first:%Y-%m}", f"{last:%Y-%m}"]

    def counts(items):
        return [n for item in items for n in (item.yes, item.partly, item.no)]

    rows = [
        [*period, r["name"], r["completed"], r["mean_score"], *counts([*r["questions"], r["overall"]])] for r in results
    ]
    if results:
        rows.append([*period, "All POMs", sum(r["completed"] for r in results), "", *counts(totals)])
    return csv_response(filename=f"oversight-{prison.code}-{first:%Y-%m}-to-{last:%Y-%m}.csv", header=header, rows=rows)


def _overview(request):
    prison, today = request.prison, timezone.localdate()
    this_month = month_start(today)
    month = _month_from(request.GET.get("month"), default=this_month)
    try:
        period = int(request.GET.get("months", "1"))
    except ValueError:
        period = 1
    period = period if period in PERIODS else 1
    first = months_back(month, period - 1)
    results = results_by_pom(prison=prison, first_month=first, last_month=month)
    totals = results_by_question(results)
    if request.GET.get("format") == "csv":
        return _results_csv(prison=prison, first=first, last=month, results=results, totals=totals)
    return render(
        request,
        "oversight/overview.html",
        {
            "prison": prison,
            "month": month,
            "is_this_month": month == this_month,
            "months": [months_back(this_month, n) for n in range(12)],
            "period": period,
            "periods": PERIODS,
            "first": first,
            "rows": month_overview(prison=prison, month=month),
            "results": results,
            "totals": [{"label": SHORT_LABELS[q.name], "result": q} for q in totals],
            "labels": SHORT_LABELS,
            "sample_size": sample_size_for_prison(prison=prison),
            "can_audit": request.user.has_perm("oversight.audit"),
            "csv_url": "?" + urlencode({"month": f"{month:%Y-%m}", "months": period, "format": "csv"}),
        },
    )


def _own_page(request):
    today = timezone.localdate()
    audits = audits_for_pom(user=request.user, prison=request.prison)
    open_actions = []
    for audit in audits:
        audit.answer_rows = [
            {
                "label": QUESTION_LABELS[name],
                "answer": getattr(audit, f"get_{name}_display")(),
                "value": getattr(audit, name),
                "notes": getattr(audit, f"{name}_notes"),
            }
            for name in QUESTION_LABELS
        ]
        for action in audit.actions.all():
            action.status = action_status(due_date=action.due_date, done=action.is_done, today=today)
            if not action.is_done:
                open_actions.append(action)
    return render(
        request,
        "oversight/mine.html",
        {
            "prison": request.prison,
            "audits": audits,
            "open_count": len(open_actions),
            "overdue_count": sum(1 for a in open_actions if a.status == "overdue"),
        },
    )


@prison_page(perm="oversight.view_oversight")
def home(request):
    """The HOMD's (and HOMS's) overview; a POM sees the outcome of their own audits."""
    if request.user.has_perm("oversight.view_prison_oversight"):
        return _overview(request)
    return _own_page(request)


@prison_page(perm="oversight.view_own_oversight")
def mine(request):
    return _own_page(request)


@prison_page(perm="oversight.audit")
@require_POST
def draw(request):
    drawn = oversight_sample_draw(
        prison=request.prison, today=timezone.localdate(), now=timezone.now(), actor=request.user
    )
    if drawn:
        messages.success(request, f"Sample drawn for {len(drawn)} POM{'s' if len(drawn) != 1 else ''}")
    else:
        messages.info(request, "Nothing new to sample: every POM with cases is sampled this month")
    return redirect("oversight_home", prison_code=request.prison.code)


@prison_page(perm="oversight.audit")
@require_http_methods(["GET", "POST"])
def add_case(request):
    form = AddCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = oversight_case_add(
                prison=request.prison,
                prison_number=form.cleaned_data["prison_number"],
                today=timezone.localdate(),
                now=timezone.now(),
                actor=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{audit.prisoner.full_name} added to this month's audits")
            return redirect("oversight_audit", prison_code=request.prison.code, audit_id=audit.pk)
    return render(request, "oversight/add_case.html", {"prison": request.prison, "form": form})


def _audit_or_404(request, audit_id: int) -> OversightAudit:
    audit = audit_get(prison=request.prison, audit_id=audit_id)
    if audit is None:
        raise Http404("No such audit in this prison")
    return audit


@prison_page(perm="oversight.audit")
@require_http_methods(["GET", "POST"])
def audit(request, audit_id: int):
    audit = _audit_or_404(request, audit_id)
    initial = {**audit.answers(), **{f"{n}_notes": getattr(audit, f"{n}_notes") for n in QUESTION_LABELS}}
    form = AuditForm(request.POST or None, initial=initial if audit.is_completed else None)
    if request.method == "POST" and form.is_valid():
        try:
            oversight_audit_complete(
                audit=audit, answers=form.answers(), notes=form.notes(), auditor=request.user, now=timezone.now()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Audit saved for {audit.prisoner.full_name}")
            return redirect("oversight_audit", prison_code=request.prison.code, audit_id=audit.pk)
    today = timezone.localdate()
    actions = list(audit.actions.all())
    for action in actions:
        action.status = action_status(due_date=action.due_date, done=action.is_done, today=today)
    return render(
        request,
        "oversight/audit.html",
        {
            "prison": request.prison,
            "audit": audit,
            "form": form,
            "actions": actions,
            "own_case": audit.pom.user_id == request.user.pk,
        },
    )


@prison_page(perm="oversight.audit")
@require_http_methods(["GET", "POST"])
def action_add(request, audit_id: int):
    audit = _audit_or_404(request, audit_id)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            oversight_action_add(
                audit=audit,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
                actor=request.user,
                today=timezone.localdate(),
                now=timezone.now(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Action set for {audit.pom.user.get_full_name()}")
            return redirect("oversight_audit", prison_code=request.prison.code, audit_id=audit.pk)
    return render(request, "oversight/action_add.html", {"prison": request.prison, "audit": audit, "form": form})


@prison_page(perm="oversight.view_own_oversight")
@require_POST
def action_done(request, action_id: int):
    action = action_get_for_pom(user=request.user, prison=request.prison, action_id=action_id)
    if action is None:
        raise Http404("No such action of yours in this prison")
    oversight_action_done(action=action, user=request.user, now=timezone.now())
    messages.success(request, "Action marked as done")
    return redirect(
        reverse("oversight_mine", kwargs={"prison_code": request.prison.code}) + f"#audit-{action.audit_id}"
    )


@prison_page(perm="oversight.audit")
@require_http_methods(["GET", "POST"])
def settings(request):
    form = SettingsForm(request.POST or None, initial={"sample_size": sample_size_for_prison(prison=request.prison)})
    if request.method == "POST" and form.is_valid():
        try:
            oversight_settings_update(
                prison=request.prison, sample_size=form.cleaned_data["sample_size"], actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Sample size saved")
            return redirect("oversight_home", prison_code=request.prison.code)
    return render(request, "oversight/settings.html", {"prison": request.prison, "form": form})
