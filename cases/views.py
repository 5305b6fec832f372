"""Prisoner search and the prisoner's record in this prison."""

from django.core.paginator import Paginator
from django.shortcuts import render

from cases.models import Role
from cases.selectors import prisoner_get_for_prison, prisoner_list_for_prison
from omic.scoping import prison_page

PRISONER_READERS = {Role.POM, Role.HOMD, Role.HOMS, Role.CASE_ADMIN, Role.KEY_WORKER}
PAGE_SIZE = 50


@prison_page(roles=PRISONER_READERS)
def prisoner_list(request):
    search = request.GET.get("q", "").strip()[:100]
    prisoners = prisoner_list_for_prison(prison=request.prison, search=search)
    page = Paginator(prisoners, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"q={search}&" if search else ""
    return render(
        request,
        "cases/prisoner_list.html",
        {"prison": request.prison, "page": page, "search": search, "query": query},
    )


@prison_page(roles=PRISONER_READERS)
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
        },
    )
