"""The audit search page for service admins: who changed what, on which case, when and why; with a CSV export."""

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.audit_selectors import audit_action_choices, audit_event_search
from cases.scoping import role_page
from omic.audit_forms import AuditSearchForm
from omic.exports import csv_response

PAGE_SIZE = 50
CSV_HEADER = ["when", "actor", "action", "prison_number", "object_type", "object_id", "before", "after", "reason",
              "request_id"]  # fmt: skip


def _filtered(request):
    form = AuditSearchForm(request.GET, actions=audit_action_choices())
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    events = audit_event_search(
        person=data["person"],
        prison_number=data["prisoner"],
        action=data["action"],
        date_from=data["date_from"],
        date_to=data["date_to"],
    )
    return form, events


@role_page(perm="cases.manage_service")
def audit_search(request):
    form, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")) if events is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "omic/audit_search.html",
        {"form": form, "page": page, "query": query.urlencode(), "error_links": form.error_links()},
    )


@role_page(perm="cases.manage_service")
def audit_export(request):
    """The filtered rows as CSV (every page), newest first. Invalid filters show the page with its errors."""
    form, events = _filtered(request)
    if events is None:
        return render(request, "omic/audit_search.html", {"form": form, "page": None, "query": "",
                                                          "error_links": form.error_links()}, status=400)  # fmt: skip
    rows = (
        [
            e.created_at,
            e.actor_label,
            e.action,
            e.prison_number,
            e.object_type,
            e.object_id,
            e.before,
            e.after,
            e.reason,
            e.request_id,
        ]  # fmt: skip
        for e in events.iterator(chunk_size=500)
    )
    return csv_response(filename="audit-events.csv", header=CSV_HEADER, rows=rows)
