"""POM staff pages: the POM list in tabs, a POM's profile, editing a POM, adding one, and bulk reallocation.

OMU staff read these pages; the heads of OMU (HOMD, HOMS) change them (allocation.staff_rules).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocation import staff_rules  # noqa: F401  (registers the permissions below)
from allocation.services import override_needed
from allocation.staff_forms import BulkCasesForm, BulkTargetForm, PomAddForm, PomEditForm
from allocation.staff_selectors import (
    TABS,
    in_handover_window,
    in_parole_window,
    pom_case_list,
    pom_caseload_get,
    pom_caseload_list_for_prison,
    pom_tabs,
    pom_target_list,
    primary_case_list_for_reallocation,
    staff_user_get_for_pom_profile,
    staff_without_pom_profile,
)
from allocation.staff_services import bulk_reallocate, pom_profile_create, pom_profile_update
from cases.models import PomAllocation, PomProfile
from cases.scoping import prison_page
from omic.exports import csv_response

VIEW, MANAGE = "allocation.view_pom_staff", "allocation.manage_pom_staff"

SORTS = {
    "name": ("Name", lambda c: (c.pom.user.last_name.lower(), c.pom.user.first_name.lower(), c.pom.pk)),
    "fte": ("FTE", lambda c: (c.pom.working_pattern, c.pom.pk)),
    "total": ("Cases", lambda c: (c.total, c.pom.pk)),
    "load": ("Weighted load", lambda c: (c.weighted_load, c.pom.pk)),
    "per_fte": ("Load per FTE", lambda c: (c.load_per_fte, c.pom.pk)),
    "last": ("Last allocated", lambda c: (c.last_allocated_at is not None, c.last_allocated_at, c.pom.pk)),
}
DESCENDING = {"total", "load", "per_fte", "last"}
CSV_COLUMNS = [
    ("name", lambda c: c.pom.user.get_full_name()),
    ("username", lambda c: c.pom.user.get_username()),
    ("pom_type", lambda c: c.pom.pom_type),
    ("working_pattern_fte", lambda c: c.pom.working_pattern),
    ("status", lambda c: c.pom.status),
    ("responsible", lambda c: c.responsible),
    ("supporting", lambda c: c.supporting),
    ("co_working", lambda c: c.co_working),
    ("total", lambda c: c.total),
    *[(f"tier_{t.lower()}", lambda c, i=i: c.main_tier_counts[i]) for i, t in enumerate("ABCD")],
    ("tier_other_or_none", lambda c: c.other_tiers),
    ("weighted_load", lambda c: c.weighted_load),
    ("load_per_fte", lambda c: c.load_per_fte),
    ("last_allocated", lambda c: timezone.localdate(c.last_allocated_at) if c.last_allocated_at else ""),
]
PROFILE_TABS = {"overview": "Overview", "caseload": "Caseload", "handovers": "Handovers", "parole": "Parole"}


def _session_key(pom) -> str:
    return f"bulk_reallocation:{pom.pk}"


@prison_page(perm=VIEW)
def pom_list(request):
    tab = request.GET.get("tab", "prison")
    tab = tab if tab in TABS else "prison"
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    tabs = pom_tabs(pom_caseload_list_for_prison(prison=request.prison, today=timezone.localdate()))
    rows = sorted(tabs[tab], key=SORTS[sort][1], reverse=sort in DESCENDING)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"poms-{request.prison.code}-{tab}.csv",
            header=[name for name, _ in CSV_COLUMNS],
            rows=([value(c) for _, value in CSV_COLUMNS] for c in rows),
        )
    tab_links = [
        {"key": k, "label": label, "count": len(tabs[k]), "url": "?" + urlencode({"tab": k}), "current": k == tab}
        for k, label in TABS.items()
    ]
    sort_links = {key: {"url": "?" + urlencode({"tab": tab, "sort": key}), "current": key == sort} for key in SORTS}
    return render(
        request,
        "allocation/staff/pom_list.html",
        {
            "prison": request.prison,
            "tab": tab,
            "tab_label": TABS[tab],
            "tab_links": tab_links,
            "rows": rows,
            "sort": sort,
            "sort_links": sort_links,
            "descending": sort in DESCENDING,
            "csv_url": "?" + urlencode({"tab": tab, "sort": sort, "format": "csv"}),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@prison_page(perm=VIEW)
def pom_detail(request, pom_id: int):
    today = timezone.localdate()
    caseload = pom_caseload_get(prison=request.prison, pom_id=pom_id, today=today)
    tab = request.GET.get("tab", "overview")
    tab = tab if tab in PROFILE_TABS else "overview"
    cases = pom_case_list(pom=caseload.pom) if tab != "overview" else []
    if tab == "handovers":
        cases = sorted((c for c in cases if in_handover_window(c, today=today)), key=lambda c: c.handover_date)
    elif tab == "parole":
        cases = sorted((c for c in cases if in_parole_window(c, today=today)), key=lambda c: c.parole_date)
    tab_links = [
        {"key": k, "label": label, "url": "?" + urlencode({"tab": k}), "current": k == tab}
        for k, label in PROFILE_TABS.items()
    ]
    return render(
        request,
        "allocation/staff/pom_detail.html",
        {
            "prison": request.prison,
            "caseload": caseload,
            "pom": caseload.pom,
            "tab": tab,
            "tab_label": PROFILE_TABS[tab],
            "tab_links": tab_links,
            "cases": cases,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@prison_page(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def pom_edit(request, pom_id: int):
    caseload = pom_caseload_get(prison=request.prison, pom_id=pom_id, today=timezone.localdate())
    pom = caseload.pom
    initial = {"working_pattern": pom.working_pattern, "status": pom.status}
    form = PomEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pom = pom_profile_update(
                pom=pom,
                working_pattern=form.cleaned_data["working_pattern"],
                status=form.cleaned_data["status"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            name = pom.user.get_full_name()
            if pom.status != PomProfile.Status.ACTIVE and caseload.primary:
                messages.success(request, f"{name} is now {pom.get_status_display().lower()}: reallocate their cases")
                return redirect("pom_reallocate", prison_code=request.prison.code, pom_id=pom.pk)
            messages.success(request, f"{name}'s working pattern and status are saved")
            return redirect("pom_detail", prison_code=request.prison.code, pom_id=pom.pk)
    return render(
        request,
        "allocation/staff/pom_edit.html",
        {"prison": request.prison, "pom": pom, "caseload": caseload, "form": form},
    )


@prison_page(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def pom_add(request):
    candidates = staff_without_pom_profile(prison=request.prison)
    form = PomAddForm(request.POST or None, candidates=candidates, initial={"working_pattern": "1.0"})
    if request.method == "POST" and form.is_valid():
        user = staff_user_get_for_pom_profile(prison=request.prison, user_id=form.cleaned_data["user"])
        try:
            pom = pom_profile_create(
                prison=request.prison,
                user=user,
                pom_type=form.cleaned_data["pom_type"],
                working_pattern=form.cleaned_data["working_pattern"],
                actor=request.user,
                candidates=candidates,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{pom.user.get_full_name()} is now a {pom.get_pom_type_display()} here")
            return redirect("pom_detail", prison_code=request.prison.code, pom_id=pom.pk)
    return render(
        request,
        "allocation/staff/pom_add.html",
        {"prison": request.prison, "form": form, "has_candidates": bool(candidates)},
    )


def _cases_with_recommendation(pom, target) -> tuple[list, set[str]]:
    cases = primary_case_list_for_reallocation(pom=pom)
    mismatched = set()
    for case in cases:
        case.mismatch = target is not None and override_needed(
            recommended_type=case.recommendation.pom_type, pom_type=target.pom.pom_type
        )
        if case.mismatch:
            mismatched.add(case.prisoner.prison_number)
    return cases, mismatched


@prison_page(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def pom_reallocate(request, pom_id: int):
    """Bulk reallocation, steps 1 and 2: pick the target POM (GET), then select cases and give any override."""
    today = timezone.localdate()
    source = pom_caseload_get(prison=request.prison, pom_id=pom_id, today=today)
    targets = pom_target_list(prison=request.prison, source=source.pom, today=today)
    data = request.POST if request.method == "POST" else request.GET
    target_form = BulkTargetForm(data if "target" in data or "choose" in data else None, targets=targets)
    target = None
    if target_form.is_bound and target_form.is_valid():
        target = next(t for t in targets if str(t.pom.pk) == target_form.cleaned_data["target"])
    context = {"prison": request.prison, "source": source, "targets": targets, "target_form": target_form}
    if target is None:
        return render(request, "allocation/staff/reallocate_target.html", context)
    cases, mismatched = _cases_with_recommendation(source.pom, target)
    stored = request.session.get(_session_key(source.pom)) or {}
    initial = {}
    if str(stored.get("target")) == str(target.pom.pk):
        initial = {k: stored.get(k) for k in ("cases", "override_reason", "override_detail")}
    if request.GET.get("select") == "all":
        initial["cases"] = [c.prisoner.prison_number for c in cases]
    form = BulkCasesForm(
        request.POST if request.method == "POST" else None, cases=cases, mismatched=mismatched, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        request.session[_session_key(source.pom)] = {
            "target": target.pom.pk,
            "cases": form.cleaned_data["cases"],
            "override_reason": form.cleaned_data["override_reason"],
            "override_detail": form.cleaned_data["override_detail"],
        }
        return redirect("pom_reallocate_check", prison_code=request.prison.code, pom_id=source.pom.pk)
    chosen = set(form["cases"].value() or [])
    context.update(
        {
            "target": target,
            "cases": cases,
            "form": form,
            "chosen": chosen,
            "mismatched": mismatched,
            "compare_rows": [source, target],
        }
    )
    return render(request, "allocation/staff/reallocate_cases.html", context)


@prison_page(perm=MANAGE)
@require_http_methods(["GET", "POST"])
def pom_reallocate_check(request, pom_id: int):
    """Bulk reallocation, steps 3 and 4: check the summary, then confirm: every case moves, or none does."""
    today = timezone.localdate()
    source = pom_caseload_get(prison=request.prison, pom_id=pom_id, today=today)
    stored = request.session.get(_session_key(source.pom))
    targets = {t.pom.pk: t for t in pom_target_list(prison=request.prison, source=source.pom, today=today)}
    target = targets.get(stored.get("target")) if stored else None
    start_url = reverse("pom_reallocate", kwargs={"prison_code": request.prison.code, "pom_id": source.pom.pk})
    context = {"prison": request.prison, "source": source, "target": target, "start_url": start_url, "error": None}
    if target is None:
        return render(request, "allocation/staff/reallocate_check.html", context)
    cases, mismatched = _cases_with_recommendation(source.pom, target)
    chosen = [c for c in cases if c.prisoner.prison_number in set(stored["cases"])]
    context.update({"cases": chosen, "stored": stored, "missing": len(stored["cases"]) - len(chosen)})
    context["override_label"] = _override_label(stored)
    if request.method == "POST":
        try:
            moved = bulk_reallocate(
                source=source.pom,
                target=target.pom,
                prison_numbers=stored["cases"],
                override_reason=stored["override_reason"],
                override_detail=stored["override_detail"],
                actor=request.user,
                today=today,
            )
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            del request.session[_session_key(source.pom)]
            messages.success(
                request,
                f"{len(moved)} case{'s' if len(moved) != 1 else ''} reallocated from "
                f"{source.pom.user.get_full_name()} to {target.pom.user.get_full_name()}. Both have been emailed.",
            )
            return redirect(
                reverse("pom_list", kwargs={"prison_code": request.prison.code}) + f"?tab={target.pom.pom_type}"
            )
    return render(request, "allocation/staff/reallocate_check.html", context)


def _override_label(stored: dict) -> str:
    if not stored.get("override_reason"):
        return ""
    label = PomAllocation.OverrideReason(stored["override_reason"]).label
    return f"{label}: {stored['override_detail']}" if stored.get("override_detail") else label
