"""Prisoner search and the prisoner's record in this prison."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cases.scoping import prison_page
from cases.selectors import audit_event_list_for_prisoner, prisoner_get_for_prison, prisoner_list_for_prison
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


@prison_page(perm="cases.view_prisoner_list")
def prisoner_list(request):
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    prisoners = prisoner_list_for_prison(prison=request.prison, search=search).order_by(*SORTS[sort][1])
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"prisoners-{request.prison.code}.csv",
            header=[name for name, _ in CSV_COLUMNS],
            rows=([value(p) for _, value in CSV_COLUMNS] for p in prisoners.iterator(chunk_size=500)),
        )
    page = Paginator(prisoners, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {"q": search} if search else {}
    sort_links = [
        {"key": key, "label": label, "url": "?" + urlencode({**params, "sort": key}), "current": key == sort}
        for key, (label, _) in SORTS.items()
    ]
    return render(
        request,
        "cases/prisoner_list.html",
        {
            "prison": request.prison,
            "page": page,
            "search": search,
            "sort": sort,
            "sort_links": sort_links,
            "query": urlencode({**params, "sort": sort}) + "&",
            "csv_url": "?" + urlencode({**params, "sort": sort, "format": "csv"}),
        },
    )


@prison_page(perm="cases.view_prisoner")
def prisoner_detail(request, prison_number: str):
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    sentence = getattr(prisoner, "sentence", None)
    case_information = getattr(prisoner, "case_information", None)
    sentence_dates = []
    if sentence is not None:
        for field in (
            "sentence_start_date",
            "conditional_release_date",
            "automatic_release_date",
            "parole_eligibility_date",
            "tariff_expiry_date",
            "home_detention_curfew_eligibility_date",
            "home_detention_curfew_actual_date",
            "post_recall_release_date",
            "release_date",
            "licence_expiry_date",
            "sentence_expiry_date",
        ):
            value = sentence.effective(field)
            overridden = field in sentence.OVERRIDABLE and getattr(sentence, f"{field}_override") is not None
            label = sentence._meta.get_field(field).verbose_name
            sentence_dates.append({"label": label[:1].upper() + label[1:], "value": value, "overridden": overridden})
    return render(
        request,
        "cases/prisoner_detail.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "sentence": sentence,
            "sentence_dates": sentence_dates,
            "case_information": case_information,
            "history": audit_event_list_for_prisoner(prisoner=prisoner, limit=50),
            "today": timezone.localdate(),  # for the handover panel (handover.templatetags)
        },
    )
