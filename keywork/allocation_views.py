"""Allocating key workers: who has a key worker and who does not (and who is not eligible, and why), a prisoner's
key worker with allocation, deallocation and history, and the auto-allocation proposal and its confirmation."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.params import positive_id
from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison
from keywork.forms import AllocateForm, DeallocateForm
from keywork.selectors import (
    ALLOCATION_FILTERS,
    allocation_active_for_prisoner,
    allocation_history_for_prisoner,
    configuration_for_prison,
    exclusion_for_prisoner,
    key_worker_list_for_prison,
    prisoner_allocation_list,
    proposal_for_prison,
)
from keywork.services import StaleProposal, allocation_create, allocation_end, auto_allocation_confirm

PAGE_SIZE = 50


@prison_page(perm="keywork.view_allocations")
def allocation_list(request):
    config = configuration_for_prison(prison=request.prison)
    show = request.GET.get("show", "unallocated")
    if show not in ALLOCATION_FILTERS:
        show = "unallocated"
    prisoners = prisoner_allocation_list(prison=request.prison, config=config, show=show)
    page = Paginator(prisoners, PAGE_SIZE).get_page(request.GET.get("page"))
    for prisoner in page.object_list:
        prisoner.exclusion = exclusion_for_prisoner(prisoner=prisoner, config=config)
        prisoner.key_worker = prisoner.current_allocation[0].key_worker if prisoner.current_allocation else None
    return render(
        request,
        "keywork/allocation_list.html",
        {
            "prison": request.prison,
            "config": config,
            "page": page,
            "show": show,
            "filters": [
                {"key": key, "label": label, "url": "?" + urlencode({"show": key}), "current": key == show}
                for key, label in ALLOCATION_FILTERS.items()
            ],
            "query": urlencode({"show": show}),
            "can_allocate": request.user.has_perm("keywork.allocate", request.prison),
            "can_auto_allocate": config.is_enabled
            and config.allow_auto_allocation
            and request.user.has_perm("keywork.auto_allocate", request.prison),
        },
    )


@prison_page(perm="keywork.view_allocations")
def prisoner_key_worker(request, prison_number: str):
    """A prisoner's key worker: allocate, change or deallocate (with a reason), and the full history."""
    prison = request.prison
    prisoner = prisoner_get_for_prison(prison=prison, prison_number=prison_number)
    config = configuration_for_prison(prison=prison)
    can_allocate = request.user.has_perm("keywork.allocate", prison)
    key_workers = key_worker_list_for_prison(prison=prison, config=config)
    action = request.POST.get("action") if request.method == "POST" else None
    allocate_form = AllocateForm(request.POST if action == "allocate" else None, key_workers=key_workers)
    deallocate_form = DeallocateForm(request.POST if action == "deallocate" else None, prefix="end")
    if request.method == "POST" and not can_allocate:
        raise PermissionDenied("Your role does not allow allocating key workers")
    form = allocate_form if action == "allocate" else deallocate_form
    if action in ("allocate", "deallocate") and form.is_valid():
        try:
            if action == "allocate":
                allocation = allocation_create(
                    prison=prison,
                    prisoner=prisoner,
                    key_worker_id=form.cleaned_data["key_worker"],
                    actor=request.user,
                )
                messages.success(request, f"{allocation.key_worker.name} is now {prisoner.full_name}'s key worker")
            else:
                allocation_end(
                    prisoner=prisoner,
                    reason=form.cleaned_data["reason"],
                    detail=form.cleaned_data["detail"],
                    actor=request.user,
                )
                messages.success(request, f"{prisoner.full_name}'s key worker has been deallocated")
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("keywork_prisoner", prison_code=prison.code, prison_number=prisoner.prison_number)
    return render(
        request,
        "keywork/prisoner_key_worker.html",
        {
            "prison": prison,
            "prisoner": prisoner,
            "config": config,
            "exclusion": exclusion_for_prisoner(prisoner=prisoner, config=config),
            "current": allocation_active_for_prisoner(prisoner=prisoner),
            "history": allocation_history_for_prisoner(prisoner=prisoner),
            "allocate_form": allocate_form,
            "deallocate_form": deallocate_form,
            "error_form": form if form.is_bound and form.errors else None,
            "can_allocate": can_allocate,
        },
    )


@prison_page(perm="keywork.auto_allocate")
def auto_allocation(request):
    """GET: the proposal, saving nothing. POST: confirm it; every placement is checked again and saved at once."""
    prison = request.prison
    if request.method == "POST":
        placements = []
        for value in request.POST.getlist("placement"):
            number, _, user_id = value.partition(":")
            if (key_worker := positive_id(user_id)) is not None:
                placements.append((number, key_worker))
        if not placements:
            messages.error(request, "There was nothing to confirm")
            return redirect("keywork_auto_allocation", prison_code=prison.code)
        try:
            result = auto_allocation_confirm(prison=prison, placements=placements, actor=request.user)
        except StaleProposal as stale:
            return render(
                request,
                "keywork/auto_allocation_stale.html",
                {"prison": prison, "problems": stale.problems},
                status=409,
            )
        messages.success(request, f"{result.count} prisoner{'s' if result.count != 1 else ''} allocated a key worker")
        return redirect(reverse("keywork_allocations", kwargs={"prison_code": prison.code}) + "?show=allocated")
    inputs, proposal = proposal_for_prison(prison=prison)
    workers = {row.id: row for row in inputs.key_workers}
    people = {p.prison_number: p for p in inputs.prisoners}
    placements = [
        {"prisoner": people[p.prison_number], "key_worker": workers[p.key_worker_id], "continuity": p.continuity}
        for p in proposal.placements
    ]
    caseloads = [
        {"row": workers[kw_id], "before": before, "after": after}
        for kw_id, (before, after) in proposal.caseloads.items()
    ]
    caseloads.sort(key=lambda c: (c["row"].list_name.casefold(), c["row"].id))
    unavailable = [row for row in inputs.key_workers if not (row.is_active and row.allow_auto_allocation)]
    return render(
        request,
        "keywork/auto_allocation.html",
        {
            "prison": prison,
            "config": inputs.config,
            "allowed": inputs.config.is_enabled and inputs.config.allow_auto_allocation,
            "placements": placements,
            "unplaced": [{"prisoner": people[u.prison_number], "reason": u.reason} for u in proposal.unplaced],
            "caseloads": caseloads,
            "unavailable": unavailable,
            "excluded_count": inputs.excluded_count,
        },
    )
