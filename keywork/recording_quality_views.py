"""Quality-check pages for a custodial manager or the HOMS: the month's samples and results, drawing a sample, rating
the next entry (or a chosen one, ``?entry=<check id>``), and the prison's sample size."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.scoping import prison_page
from keywork.models import QualityCheck
from keywork.recording_calculations import month_start, parse_month, previous_month
from keywork.recording_forms import (
    QualityCheckForm,
    QualityDrawForm,
    QualitySettingsForm,
    apply_service_errors,
    recent_months,
)
from keywork.recording_quality_services import quality_check_rate, quality_sample_draw, quality_settings_update
from keywork.recording_selectors import (
    quality_check_get,
    quality_check_next_unrated,
    quality_results_by_key_worker,
    quality_sample_size_for_prison,
    quality_samples_for_month,
)
from omic.exports import csv_response


def _month_from(value: str | None, *, default: dt.date) -> dt.date:
    try:
        return parse_month(value or "")
    except ValueError:
        return default


def _list_url(prison, month: dt.date) -> str:
    return reverse("keywork_quality_list", kwargs={"prison_code": prison.code}) + f"?month={month:%Y-%m}"


def _results_csv(*, prison, month: dt.date, results: list[dict]):
    header = ["month", "key_worker", "sampled", "checked", "meets_checklist"]
    for name, _ in QualityCheck.CHECKLIST:
        header += [f"{name}_yes", f"{name}_applicable"]
    rows = []
    for r in results:
        row = [f"{month:%Y-%m}", r["key_worker_name"], r["sampled"], r["rated"], r["meets_all"]]
        for item in r["items"]:
            row += [item["yes"], item["applicable"]]
        rows.append(row)
    return csv_response(filename=f"key-work-quality-{prison.code}-{month:%Y-%m}.csv", header=header, rows=rows)


@prison_page(perm="keywork.review_quality")
def quality_list(request):
    today = timezone.localdate()
    month = _month_from(request.GET.get("month"), default=previous_month(today))
    results = quality_results_by_key_worker(prison=request.prison, first_month=month, last_month=month)
    if request.GET.get("format") == "csv":
        return _results_csv(prison=request.prison, month=month, results=results)
    samples = quality_samples_for_month(prison=request.prison, month=month)
    return render(
        request,
        "keywork/recording/quality_list.html",
        {
            "prison": request.prison,
            "month": month,
            "months": recent_months(today),
            "samples": samples,
            "results": results,
            "unrated": sum(1 for s in samples for c in s.checks.all() if not c.is_rated),
            "sample_size": quality_sample_size_for_prison(prison=request.prison),
            "checklist": QualityCheck.CHECKLIST,
            "can_draw": month < month_start(today),
        },
    )


@prison_page(perm="keywork.review_quality")
@require_http_methods(["GET", "POST"])
def quality_draw(request):
    today = timezone.localdate()
    form = QualityDrawForm(request.POST or None, today=today, initial={"month": f"{previous_month(today):%Y-%m}"})
    if request.method == "POST" and form.is_valid():
        month = form.month_date()
        try:
            drawn = quality_sample_draw(
                prison=request.prison, month=month, today=today, now=timezone.now(), actor=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if drawn:
                messages.success(request, f"Sample drawn for {len(drawn)} key worker{'s' if len(drawn) != 1 else ''}")
            else:
                messages.info(request, "Nothing new to sample: every key worker with entries that month is sampled")
            return redirect(_list_url(request.prison, month))
    return render(
        request,
        "keywork/recording/quality_draw.html",
        {"prison": request.prison, "form": form, "sample_size": quality_sample_size_for_prison(prison=request.prison)},
    )


@prison_page(perm="keywork.review_quality")
@require_http_methods(["GET", "POST"])
def quality_check(request):
    """Rate one sampled entry: the one asked for, else the next one waiting. A sensitive note is shown only to a
    reviewer who may read it (``keywork.read_session_note``: today every reviewer is OMU staff, so all may)."""
    entry = request.POST.get("entry") or request.GET.get("entry")
    check = quality_check_get(prison=request.prison, check_id=entry) if entry else None
    if check is None:
        check = quality_check_next_unrated(prison=request.prison)
    initial = {}
    if check is not None and check.is_rated:
        initial = {name: getattr(check, name) for name, _ in QualityCheck.CHECKLIST} | {"feedback": check.feedback}
    form = QualityCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and check is not None and form.is_valid():
        try:
            quality_check_rate(check=check, reviewer=request.user, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Check saved")
            if quality_check_next_unrated(prison=request.prison) is not None:
                return redirect("keywork_quality_check", prison_code=request.prison.code)
            return redirect(_list_url(request.prison, check.sample.month))
    return render(
        request,
        "keywork/recording/quality_check.html",
        {
            "prison": request.prison,
            "check": check,
            "form": form,
            "note_visible": check is not None and request.user.has_perm("keywork.read_session_note", check.session),
        },
    )


@prison_page(perm="keywork.review_quality")
@require_http_methods(["GET", "POST"])
def quality_settings(request):
    form = QualitySettingsForm(
        request.POST or None, initial={"sample_size": quality_sample_size_for_prison(prison=request.prison)}
    )
    if request.method == "POST" and form.is_valid():
        quality_settings_update(prison=request.prison, sample_size=form.cleaned_data["sample_size"], actor=request.user)
        messages.success(request, "Sample size saved")
        return redirect("keywork_quality_list", prison_code=request.prison.code)
    return render(request, "keywork/recording/quality_settings.html", {"prison": request.prison, "form": form})
