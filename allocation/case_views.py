"""The allocation pages of one case: review, choose a POM (with comparison and the ranked suggestion), confirm,
deallocate, add or remove a co-working POM, and the case timeline.

Pages take the POM as a query parameter (``?pom=12``), never a path segment, so every path is
``/prisons/<code>/allocations/cases/<prison number>/...`` and the prison-scoping walk covers them all.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocation.calculations import ROLE_LABELS, ROLES
from allocation.forms import AllocateForm, CoWorkerForm, DeallocateForm
from allocation.selectors import (
    case_allocations,
    case_get_for_allocation,
    case_timeline,
    handover_for,
    pom_get_for_prison,
    pom_suggestions,
    pom_workload_list,
    recommendation_for,
)
from allocation.services import add_co_worker, allocate, deallocate, override_needed, remove_co_worker
from cases.models import PomProfile
from cases.params import positive_ids
from cases.scoping import prison_page

MAIN_TIERS = ("A", "B", "C", "D")
COMPARE_MAX = 4


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _case_context(request, prison_number: str) -> dict:
    prisoner = case_get_for_allocation(prison=request.prison, prison_number=prison_number)
    return {
        "prison": request.prison,
        "prisoner": prisoner,
        "sentence": getattr(prisoner, "sentence", None),
        "case_information": getattr(prisoner, "case_information", None),
        "handover": handover_for(prisoner),
        "responsibility_overridden": prisoner.responsibility_overridden,
        "allocations": case_allocations(prisoner=prisoner),
        "can_allocate": request.user.has_perm("allocation.allocate"),
    }


@prison_page(perm="allocation.view_allocations")
def review(request, prison_number: str):
    context = _case_context(request, prison_number)
    context["recommendation"] = recommendation_for(prisoner=context["prisoner"])
    return render(request, "allocation/review.html", context)


def _workload_rows(workloads) -> list[dict]:
    rows = []
    for w in workloads:
        by_tier = w.by_tier
        rows.append(
            {
                "workload": w,
                "pom": w.pom,
                "tiers": [by_tier.get(t, 0) for t in MAIN_TIERS],
                "other_tiers": w.total - sum(by_tier.get(t, 0) for t in MAIN_TIERS),
                "roles": [w.by_role[r] for r in ROLES],
            }
        )
    return rows


@prison_page(perm="allocation.allocate")
def choose(request, prison_number: str):
    context = _case_context(request, prison_number)
    recommendation = recommendation_for(prisoner=context["prisoner"])
    workloads = pom_workload_list(prison=request.prison, today=timezone.localdate())
    rows = _workload_rows(workloads)
    allocations = context["allocations"]
    context.update(
        {
            "recommendation": recommendation,
            "tiers": MAIN_TIERS,
            "role_labels": [ROLE_LABELS[r] for r in ROLES],
            "groups": [
                ("Probation POMs", [r for r in rows if r["pom"].pom_type == PomProfile.PomType.PROBATION]),
                ("Prison POMs", [r for r in rows if r["pom"].pom_type == PomProfile.PomType.PRISON]),
            ],
            "suggestions": pom_suggestions(
                workloads=workloads, recommendation=recommendation, previous_pom_ids=allocations.previous_pom_ids
            ),
            "compare_max": COMPARE_MAX,
        }
    )
    return render(request, "allocation/choose.html", context)


@prison_page(perm="allocation.allocate")
def compare(request, prison_number: str):
    context = _case_context(request, prison_number)
    ids = positive_ids(request.GET.getlist("pom"))[: COMPARE_MAX + 1]
    error = ""
    if not ids:
        error = "Select at least one POM to compare"
    elif len(ids) > COMPARE_MAX:
        error = f"Select up to {COMPARE_MAX} POMs to compare"
    workloads = [] if error else pom_workload_list(prison=request.prison, today=timezone.localdate(), pom_ids=ids)
    context.update(
        {
            "recommendation": recommendation_for(prisoner=context["prisoner"]),
            "error": error,
            "rows": _workload_rows(workloads),
            "tiers": MAIN_TIERS,
            "roles": [(i, ROLE_LABELS[r]) for i, r in enumerate(ROLES)],
        }
    )
    return render(request, "allocation/compare.html", context)


@prison_page(perm="allocation.allocate")
@require_http_methods(["GET", "POST"])
def confirm(request, prison_number: str):
    context = _case_context(request, prison_number)
    prisoner, allocations = context["prisoner"], context["allocations"]
    pom_param = request.GET.get("pom", "")
    if not pom_param:
        return render(request, "allocation/confirm.html", {**context, "pom": None})
    pom = pom_get_for_prison(prison=request.prison, pom_id=pom_param)
    recommendation = recommendation_for(prisoner=prisoner)
    needed = override_needed(recommended_type=recommendation.pom_type, pom_type=pom.pom_type)
    current = allocations.primary
    form = AllocateForm(
        request.POST or None, override_needed=needed, initial={"expected": current.pk if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocate(
                prisoner,
                pom,
                actor=request.user,
                today=timezone.localdate(),
                override_reason=data.get("override_reason", ""),
                override_detail=data.get("override_detail", ""),
                message=data["message"],
                expected_primary=data["expected"] or None,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            verb = "reallocated to" if current else "allocated to"
            messages.success(request, f"{prisoner.full_name} has been {verb} {pom.user.get_full_name()}")
            return redirect("allocation_review", prison_code=request.prison.code, prison_number=prisoner.prison_number)
    context.update({"pom": pom, "recommendation": recommendation, "override_needed": needed, "form": form})
    return render(request, "allocation/confirm.html", context)


@prison_page(perm="allocation.allocate")
@require_http_methods(["GET", "POST"])
def deallocate_case(request, prison_number: str):
    context = _case_context(request, prison_number)
    current = context["allocations"].primary
    form = DeallocateForm(request.POST or None, initial={"expected": current.pk if current else ""})
    if request.method == "POST" and current is not None and form.is_valid():
        expected = form.cleaned_data["expected"]
        try:
            if current.pk != expected:
                raise ValidationError("Someone else changed this case's allocation while you were working on it.")
            deallocate(current, actor=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{current.pom.user.get_full_name()} is no longer the POM for this case")
            return redirect("allocation_review", prison_code=request.prison.code, prison_number=prison_number.upper())
    context["form"] = form
    return render(request, "allocation/deallocate.html", context)


@prison_page(perm="allocation.allocate")
@require_http_methods(["GET", "POST"])
def co_worker(request, prison_number: str):
    context = _case_context(request, prison_number)
    allocations = context["allocations"]
    primary_pom = allocations.primary.pom_id if allocations.primary else None
    workloads = [
        w
        for w in pom_workload_list(prison=request.prison, today=timezone.localdate())
        if w.pom.status == PomProfile.Status.ACTIVE and w.pom.pk != primary_pom
    ]
    form = CoWorkerForm(request.POST or None, workloads=workloads)
    if request.method == "POST" and form.is_valid():
        pom = pom_get_for_prison(prison=request.prison, pom_id=form.cleaned_data["pom"])
        try:
            add_co_worker(context["prisoner"], pom, actor=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{pom.user.get_full_name()} is now the co-working POM")
            return redirect("allocation_review", prison_code=request.prison.code, prison_number=prison_number.upper())
    context["form"] = form
    return render(request, "allocation/co_worker.html", context)


@prison_page(perm="allocation.allocate")
@require_http_methods(["GET", "POST"])
def co_worker_remove(request, prison_number: str):
    context = _case_context(request, prison_number)
    error = ""
    if request.method == "POST":
        try:
            removed = remove_co_worker(context["prisoner"], actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{removed.pom.user.get_full_name()} is no longer the co-working POM")
            return redirect("allocation_review", prison_code=request.prison.code, prison_number=prison_number.upper())
    context["error"] = error
    return render(request, "allocation/co_worker_remove.html", context)


@prison_page(perm="allocation.view_allocations")
def timeline(request, prison_number: str):
    context = _case_context(request, prison_number)
    context["entries"] = case_timeline(prisoner=context["prisoner"], allocations=context["allocations"].history)
    return render(request, "allocation/timeline.html", context)
