"""The list of prisoners in this prison. The prisoner's own page is the profile in ``dashboards.profile_views``."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.scoping import prison_page
from cases.selectors import prisoner_list_for_prison
from omic.exports import csv_response

PAGE_SIZE = 50


SORTS = {
    "name": ("Name", ["last_name", "first_name", "prison_number"]),
    "number": ("Prison number", ["prison_number"]),
    "location": ("Location", ["cell_location", "prison_number"]),
    "arrival": ("Arrival date", ["-prison_arrival_date", "prison_number"]),
    "tier": ("Tier", ["case_information__tier", "last_name", "prison_number"]),
}
CSV_COLUMNS = [
    ("prison_number", lambda p: p.prison_number),
    ("last_name", lambda p: p.last_name),
    ("first_name", lambda p: p.first_name),
    ("date_of_birth", lambda p: p.date_of_birth),
    ("cell_location", lambda p: p.cell_location),
    ("prison_arrival_date", lambda p: p.prison_arrival_date),
    ("legal_status", lambda p: p.legal_status),
    # A missing one-to-one raises RelatedObjectDoesNotExist, an AttributeError, so getattr's default covers it.
    ("sentence_type", lambda p: getattr(getattr(p, "sentence", None), "sentence_type", "")),
    ("crn", lambda p: getattr(getattr(p, "case_information", None), "crn", "")),
    ("tier", lambda p: getattr(getattr(p, "case_information", None), "tier", "")),
]
# The case record's (``cases.view_case_record``: OMU staff, not key workers): left out of the list, its CSV and sorts.
CASE_RECORD_COLUMNS = {"sentence_type", "crn", "tier"}
CASE_RECORD_SORTS = {"tier"}


@prison_page(perm="cases.view_prisoner_list")
def prisoner_list(request):
    search = request.GET.get("q", "").strip()[:100]
    case_record = request.user.has_perm("cases.view_case_record", request.prison)
    sorts = {k: v for k, v in SORTS.items() if case_record or k not in CASE_RECORD_SORTS}
    columns = [(n, v) for n, v in CSV_COLUMNS if case_record or n not in CASE_RECORD_COLUMNS]
    sort = request.GET.get("sort", "name")
    if sort not in sorts:
        sort = "name"
    prisoners = prisoner_list_for_prison(prison=request.prison, search=search).order_by(*sorts[sort][1])
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"prisoners-{request.prison.code}.csv",
            header=[name for name, _ in columns],
            rows=([value(p) for _, value in columns] for p in prisoners.iterator(chunk_size=500)),
        )
    page = Paginator(prisoners, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"q": search} if search else {}
    sort_links = [
        {"key": key, "label": label, "url": "?" + urlencode({**params, "sort": key}), "current": key == sort}
        for key, (label, _) in sorts.items()
    ]
    return render(
        request,
        "cases/prisoner_list.html",
        {
            "prison": request.prison,
            "can_view_case_record": case_record,
            "page": page,
            "search": search,
            "sort": sort,
            "sort_links": sort_links,
            "query": urlencode({**params, "sort": sort}) + "&",
            "csv_url": "?" + urlencode({**params, "sort": sort, "format": "csv"}),
        },
    )
