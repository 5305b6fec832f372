"""The allocation lists of a prison (To allocate, Missing details, Allocated) and the missing-details form.

The case pages (review, choose a POM, confirm, deallocate, co-working POM, timeline) are in ``case_views``.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocation.calculations import days_waiting
from allocation.detail_services import missing_details_fill
from allocation.forms import MissingDetailsForm
from allocation.list_selectors import (
    ALLOCATED,
    LISTS,
    MISSING_DETAILS,
    SORTS,
    TO_ALLOCATE,
    allocation_list,
    allocation_list_counts,
    missing_items,
)
from allocation.selectors import case_get_for_allocation, pom_profile_choices
from cases.models import CaseInformation, Prison
from cases.params import positive_id
from cases.scoping import prison_page
from handover.selectors import responsibility_label
from omic.exports import csv_response

PAGE_SIZE = 50
URL_NAMES = {
    TO_ALLOCATE: "allocation_to_allocate",
    MISSING_DETAILS: "allocation_missing_details",
    ALLOCATED: "allocation_allocated",
}


def _row(prisoner, *, which: str, prison: Prison, today) -> dict:
    case = getattr(prisoner, "case_information", None)
    handover = getattr(prisoner, "calculated_handover", None)
    sentence = getattr(prisoner, "sentence", None)
    row = {
        "prisoner": prisoner,
        "tier": getattr(case, "tier", "") or "",
        "sentence_type": sentence.get_sentence_type_display() if sentence else "",
        "earliest_release": getattr(handover, "earliest_release_date", None),
        "handover_date": getattr(handover, "handover_date", None),
        # The Allocated list annotates the effective responsibility (an active override shows as the COM, D-06).
        "responsibility": getattr(prisoner, "effective_responsibility", None) or "",
        "overridden": bool(getattr(prisoner, "responsibility_overridden", False)),
    }
    if which == ALLOCATED:
        active = {a.role: a for a in prisoner.active_allocations}
        row["primary"] = active.get("primary")
        row["co_working"] = active.get("co_working")
    else:
        last = prisoner.last_deallocated
        row["days_waiting"] = days_waiting(arrival=prisoner.prison_arrival_date, last_deallocated=last, today=today)
        row["missing"] = missing_items(prisoner, prison=prison) if which == MISSING_DETAILS else []
    return row


def _pom_name(allocation) -> str:
    return allocation.pom.user.get_full_name() if allocation else ""


CSV_COLUMNS = {
    TO_ALLOCATE: [
        ("days_waiting", lambda r: r["days_waiting"]),
        ("tier", lambda r: r["tier"]),
        ("sentence_type", lambda r: r["sentence_type"]),
        ("earliest_release_date", lambda r: r["earliest_release"]),
        ("handover_date", lambda r: r["handover_date"]),
    ],
    MISSING_DETAILS: [
        ("days_waiting", lambda r: r["days_waiting"]),
        ("missing", lambda r: "; ".join(r["missing"])),
    ],
    ALLOCATED: [
        ("tier", lambda r: r["tier"]),
        ("primary_pom", lambda r: _pom_name(r["primary"])),
        ("allocated_on", lambda r: timezone.localdate(r["primary"].allocated_at) if r["primary"] else ""),
        ("co_working_pom", lambda r: _pom_name(r["co_working"])),
        ("responsibility", lambda r: responsibility_label(r["responsibility"], overridden=r["overridden"])),
        ("handover_date", lambda r: r["handover_date"]),
    ],
}


def _list_page(request, which: str):
    prison, today = request.prison, timezone.localdate()
    search = request.GET.get("q", "").strip()[:100]
    tier = request.GET.get("tier", "")
    tier = tier if tier in (*CaseInformation.Tier.values, "none") else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS[which] else next(iter(SORTS[which]))
    pom_id = positive_id(request.GET.get("pom", "")) if which == ALLOCATED else None
    qs = allocation_list(prison=prison, which=which, search=search, tier=tier, pom_id=pom_id, sort=sort)
    if request.GET.get("format") == "csv":
        base = [("prison_number", lambda r: r["prisoner"].prison_number), ("name", lambda r: r["prisoner"].list_name)]
        columns = base + CSV_COLUMNS[which]
        rows = (_row(p, which=which, prison=prison, today=today) for p in qs.iterator(chunk_size=500))
        return csv_response(
            filename=f"{which.replace('_', '-')}-{prison.code}.csv",
            header=[name for name, _ in columns],
            rows=([value(r) for _, value in columns] for r in rows),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(p, which=which, prison=prison, today=today) for p in page.object_list]
    params = {k: v for k, v in {"q": search, "tier": tier, "pom": pom_id or ""}.items() if v}
    counts = allocation_list_counts(prison=prison)
    return render(
        request,
        "allocation/list.html",
        {
            "prison": prison,
            "which": which,
            "title": LISTS[which],
            "tabs": [
                {"label": label, "url_name": URL_NAMES[key], "count": counts[key], "current": key == which}
                for key, label in LISTS.items()
            ],
            "page": page,
            "rows": rows,
            "search": search,
            "tier": tier,
            "pom_id": pom_id,
            "tiers": CaseInformation.Tier.values,
            "poms": pom_profile_choices(prison=prison) if which == ALLOCATED else [],
            "sort_links": [
                {"label": label, "url": "?" + urlencode({**params, "sort": key}), "current": key == sort}
                for key, (label, _) in SORTS[which].items()
            ],
            "query": urlencode({**params, "sort": sort}),
            "csv_url": "?" + urlencode({**params, "sort": sort, "format": "csv"}),
            "can_allocate": request.user.has_perm("allocation.allocate"),
            "can_fill": request.user.has_perm("allocation.fill_missing_details"),
        },
    )


@prison_page(perm="allocation.view_allocations")
def to_allocate(request):
    return _list_page(request, TO_ALLOCATE)


@prison_page(perm="allocation.view_allocations")
def missing_details(request):
    return _list_page(request, MISSING_DETAILS)


@prison_page(perm="allocation.view_allocations")
def allocated(request):
    return _list_page(request, ALLOCATED)


@prison_page(perm="allocation.fill_missing_details")
@require_http_methods(["GET", "POST"])
def missing_details_form(request, prison_number: str):
    prison = request.prison
    prisoner = case_get_for_allocation(prison=prison, prison_number=prison_number)
    case = getattr(prisoner, "case_information", None)
    initial = {}
    if case is not None:
        initial = {
            "tier": case.tier,
            "rosh_level": case.rosh_level,
            "mappa_level": "" if case.mappa_level is None else str(case.mappa_level),
            "enhanced_resourcing": {True: "yes", False: "no"}.get(case.enhanced_resourcing, "unknown"),
            "womens_complexity": case.womens_complexity,
        }
    kwargs = {"womens_estate": prison.estate == Prison.Estate.WOMENS, "current_tier": getattr(case, "tier", "") or ""}
    form = MissingDetailsForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        tier = form.cleaned_data["tier"]
        try:
            missing_details_fill(
                prisoner,
                values=form.case_values(),
                tier=tier if tier != getattr(case, "tier", "") else "",
                tier_reason=form.cleaned_data["tier_reason"],
                actor=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Details saved for {prisoner.full_name}")
            if request.user.has_perm("allocation.allocate"):
                return redirect("allocation_review", prison_code=prison.code, prison_number=prisoner.prison_number)
            return redirect("allocation_missing_details", prison_code=prison.code)
    return render(
        request,
        "allocation/missing_details_form.html",
        {"prison": prison, "prisoner": prisoner, "case_information": case, "form": form},
    )
