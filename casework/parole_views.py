"""Parole pages: the approaching-parole list (a POM's own cases; the prison's, by POM, for the OMU managers) and a
case's parole page (its reviews, adding a review, recording an outcome, and the swing explained). Forms post, then
redirect; errors name the field. "Today" is read once here and passed down.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.scoping import prison_page
from cases.selectors import pom_profile_for_user, prisoner_get_for_prison
from casework.calculations.parole import approaching_parole_date, parole_window_end, swing_explain
from casework.parole_forms import ParoleOutcomeForm, ParoleReviewForm, apply_service_errors
from casework.parole_selectors import (
    SORTS,
    parole_approaching_list,
    parole_facts_for,
    parole_review_get,
    parole_reviews_for,
)
from casework.parole_services import parole_review_update, parole_review_upsert
from casework.recall_selectors import case_is_recalled
from handover.calculations import calculate
from handover.panel import explanation
from handover.selectors import handover_panel_for_prisoner, pom_profile_get, pom_profile_list_for_filter
from omic.exports import csv_response

PAGE_SIZE = 50
RESPONSIBILITY_CSV = {"CustodyOnly": "POM", "CustodyWithCom": "POM (COM supporting)", "Community": "COM"}
CSV_HEADER = [
    "prison_number",
    "last_name",
    "first_name",
    "parole_date",
    "parole_date_type",
    "tariff_expiry_date",
    "parole_eligibility_date",
    "target_hearing_date",
    "pom",
    "responsible",
    "overridden_to_com",
]


def _csv_rows(rows):
    for p in rows:
        yield [
            p.prison_number,
            p.last_name,
            p.first_name,
            p.parole_date,
            p.parole_date_type,
            p.sentence.tariff_expiry_date,
            p.parole_ped,
            p.parole_thd,
            " ".join(filter(None, [p.pom_first_name, p.pom_last_name])),
            RESPONSIBILITY_CSV.get(p.effective_responsibility, ""),
            "yes" if p.responsibility_overridden else "no",
        ]


@prison_page(perm="casework.view_parole_list")
def parole_approaching(request):
    """Cases with a TED, PED or THD within 10 months. A POM sees their own; the HOMD and HOMS the prison's, or one
    POM's with ``?pom=<id>``."""
    prison, today = request.prison, timezone.localdate()
    manager = request.user.has_perm("casework.view_prison_parole_list")
    pom = pom_profile_get(prison=prison, pom_id=request.GET.get("pom")) if manager else None
    if not manager:
        pom = pom_profile_for_user(user=request.user, prison=prison)
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "parole_date"
    if not manager and pom is None:
        rows = parole_approaching_list(prison=prison, today=today, pom=0, sort=sort)  # not a POM here: no cases
    else:
        rows = parole_approaching_list(prison=prison, today=today, pom=pom, sort=sort)
    params = {"pom": pom.pk} if manager and pom else {}
    if request.GET.get("format") == "csv":
        who = f"pom-{pom.pk}" if pom else "prison"
        return csv_response(
            filename=f"parole-{prison.code}-{who}.csv", header=CSV_HEADER, rows=_csv_rows(rows.iterator(chunk_size=500))
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/parole/approaching.html",
        {
            "prison": prison,
            "today": today,
            "window_end": parole_window_end(today),
            "manager": manager,
            "pom": pom,
            "poms": pom_profile_list_for_filter(prison=prison) if manager else [],
            "page": page,
            "sort_links": [
                {"label": label, "url": "?" + urlencode({**params, "sort": key}), "current": key == sort}
                for key, (label, _) in SORTS.items()
            ],
            "query": urlencode({**params, "sort": sort}),
            "csv_url": "?" + urlencode({**params, "sort": sort, "format": "csv"}),
        },
    )


def _case_context(request, prisoner, *, today, form):
    facts = parole_facts_for(prisoner=prisoner, today=today)
    sentence = getattr(prisoner, "sentence", None)
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=today)
    swing = engine_reason = None
    if facts is not None:
        engine_reason = calculate(facts, today).reason
        swing = swing_explain(
            indeterminate=facts.sentence_type == "indeterminate",
            additional_future_isp=bool(facts.additional_future_isp),
            target_hearing_date=facts.target_hearing_date,
            latest_outcome=facts.latest_parole_outcome,
            mappa_level=facts.mappa_level,
            recalled=bool(facts.recalled),
            as_of=today,
            engine_reason=engine_reason,
        )
    stored_reason = panel.calculated.reason if panel.calculated else None
    return {
        "prison": request.prison,
        "prisoner": prisoner,
        "sentence": sentence,
        "recalled": case_is_recalled(prisoner),
        "today": today,
        "facts": facts,
        "approaching": approaching_parole_date(
            tariff_expiry=facts.tariff_expiry_date if facts else None,
            parole_eligibility=facts.parole_eligibility_date if facts else None,
            target_hearing=facts.target_hearing_date if facts else None,
            today=today,
        ),
        "reviews": parole_reviews_for(prisoner=prisoner),
        "swing": swing,
        "panel": panel,
        "why": explanation(panel.calculated) if panel.calculated else None,
        # The stored result is from before a change the recalculation has not picked up yet.
        "stale": bool(engine_reason and stored_reason and engine_reason != stored_reason),
        "can_record": request.user.has_perm("casework.record_case_parole", prisoner),
        "form": form,
    }


@prison_page(perm="casework.view_parole")
@require_http_methods(["GET", "POST"])
def parole_case(request, prison_number: str):
    """A case's parole reviews, the swing explained, and (for its POM or a manager) a form to add a review."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    today = timezone.localdate()
    form = ParoleReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.has_perm("casework.record_case_parole", prisoner):
            raise PermissionDenied("Only the case's POM or an OMU manager can record parole reviews")
        if form.is_valid():
            try:
                parole_review_upsert(
                    prison_number=prisoner.pk,
                    data=form.cleaned_data,
                    actor_label=request.user.get_username(),
                    actor=request.user,
                    today=today,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Parole review saved")
                return redirect("parole_case", prison_code=request.prison.code, prison_number=prisoner.pk)
    return render(request, "casework/parole/case.html", _case_context(request, prisoner, today=today, form=form))


@prison_page(perm="casework.record_parole")
@require_http_methods(["GET", "POST"])
def parole_review_outcome(request, prison_number: str, review_pk: int):
    """Record a review's hearing outcome and the date it was received; the handover is recalculated at once."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    if not request.user.has_perm("casework.record_case_parole", prisoner):
        raise PermissionDenied("Only the case's POM or an OMU manager can record a parole outcome")
    review = parole_review_get(prisoner=prisoner, review_pk=review_pk)
    if review is None:
        raise Http404("No such parole review for this case")
    today = timezone.localdate()
    initial = {}
    if review.completed:
        outcome = "Release" if review.outcome == "release" else "No release"
        initial = {"hearing_outcome": outcome, "hearing_outcome_received_on": review.hearing_outcome_received_on}
    form = ParoleOutcomeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            parole_review_update(review=review, data=form.cleaned_data, actor=request.user, today=today)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Hearing outcome saved and the handover recalculated")
            return redirect("parole_case", prison_code=request.prison.code, prison_number=prisoner.pk)
    return render(
        request,
        "casework/parole/outcome.html",
        {"prison": request.prison, "prisoner": prisoner, "review": review, "form": form},
    )
