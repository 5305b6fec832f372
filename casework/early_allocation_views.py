"""Early allocation pages: a case's assessments, the assessment (two steps), the HOMD's approval, the community
decision, the printable summary, and the HOMD's list of assessments and pending decisions.

Every form posts, then redirects (POST/redirect/GET), with GOV.UK errors naming the field. Acting pages work on the
case's latest assessment (only the latest counts) and carry its id, so a newer one made meanwhile is never
overwritten by mistake.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.params import positive_id
from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison
from casework.calculations.early_allocation import DISCRETIONARY, ELIGIBLE, window_opens_on
from casework.early_allocation_emails import answer_rows, summary_context
from casework.early_allocation_forms import (
    ApproveForm,
    CommunityDecisionForm,
    DiscretionaryForm,
    StatutoryForm,
    apply_service_errors,
)
from casework.early_allocation_selectors import (
    NO_CURRENT_SENTENCE,
    SORTS,
    early_allocation_latest_for_case,
    early_allocation_list,
    early_allocation_list_for_case,
    early_allocation_status,
    has_current_sentence,
    ldu_mailbox_for,
    referral_window_for,
)
from casework.early_allocation_services import (
    early_allocation_approve,
    early_allocation_community_decision_record,
    early_allocation_create,
    early_allocation_referral_send,
    no_mailbox_message,
    referral_unsent,
)
from omic.exports import csv_response

PAGE_SIZE = 50


def _case(request, prison_number: str):
    return prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)


def _go_to_case(request, prisoner):
    return redirect("early_allocation_case", prison_code=request.prison.code, prison_number=prisoner.prison_number)


def _can_assess(request, prisoner) -> bool:
    return request.user.has_perm("casework.assess_case_early_allocation", prisoner)


def _base(request, prisoner, today) -> dict:
    window = referral_window_for(prisoner=prisoner, today=today)
    if window["earliest"] and not window["within_window"]:
        window["opens_on"] = window_opens_on(window["earliest"])
    ldu, mailbox = ldu_mailbox_for(prisoner=prisoner)
    problem = "" if mailbox else no_mailbox_message(prisoner)
    current_sentence = has_current_sentence(prisoner=prisoner)
    return {
        "prison": request.prison,
        "prisoner": prisoner,
        "window": window,
        "ldu": ldu,
        "mailbox": mailbox,
        "problem": problem,
        "current_sentence": current_sentence,
        "no_current_sentence": "" if current_sentence else NO_CURRENT_SENTENCE,
    }


@prison_page(perm="casework.view_early_allocation")
def case_page(request, prison_number: str):
    prisoner = _case(request, prison_number)
    today = timezone.localdate()
    assessments = early_allocation_list_for_case(prisoner=prisoner)
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    code, label = early_allocation_status(latest)
    context = _base(request, prisoner, today)
    context.update(
        {
            "assessments": assessments,
            "latest": latest,
            "latest_answers": answer_rows(latest) if latest else [],
            "status_code": code,
            "status_label": label,
            "can_assess": _can_assess(request, prisoner),
            "can_approve": request.user.has_perm("casework.approve_early_allocation"),
            "needs_decision": latest is not None
            and latest.created_within_referral_window
            and latest.referral_sent_at is not None
            and latest.community_decision is None
            and (latest.outcome == ELIGIBLE or (latest.outcome == DISCRETIONARY and latest.approved)),
            "needs_referral": referral_unsent(latest),
            "needs_approval": code == "awaiting_approval",
        }
    )
    return render(request, "casework/early_allocation/case.html", context)


@prison_page(perm="casework.assess_early_allocation")
@require_http_methods(["GET", "POST"])
def start(request, prison_number: str):
    prisoner = _case(request, prison_number)
    if not _can_assess(request, prisoner):
        raise PermissionDenied("Only the case's POM or the head of offender management delivery can assess it")
    today = timezone.localdate()
    context = _base(request, prisoner, today)
    if not context["mailbox"] or not context["current_sentence"]:
        return render(request, "casework/early_allocation/dead_end.html", context)
    ask_due_24 = context["window"]["due_within_24_months"] is None
    step = request.POST.get("step") if request.method == "POST" else None
    statutory = StatutoryForm(request.POST if step else None, today=today, hidden=step == "discretionary")
    discretionary = DiscretionaryForm(request.POST if step == "discretionary" else None, ask_due_24=ask_due_24)
    show_step_two = False
    if step == "statutory" and statutory.is_valid():
        if statutory.any_yes:
            return _create(request, prisoner, today, statutory, None, context)
        statutory = StatutoryForm(request.POST, today=today, hidden=True)
        statutory.is_valid()
        show_step_two = True
    elif step == "discretionary":
        if not statutory.is_valid():  # the hidden first step was changed: start again, showing why
            statutory = StatutoryForm(request.POST, today=today)
            statutory.is_valid()
        else:
            show_step_two = True
            if discretionary.is_valid():
                return _create(request, prisoner, today, statutory, discretionary, context)
    context.update({"statutory": statutory, "discretionary": discretionary, "step_two": show_step_two})
    template = "discretionary" if show_step_two else "statutory"
    return render(request, f"casework/early_allocation/{template}.html", context)


def _create(request, prisoner, today, statutory, discretionary, context):
    data = {**statutory.cleaned_data, **(discretionary.cleaned_data if discretionary else {})}
    try:
        assessment = early_allocation_create(prisoner=prisoner, data=data, actor=request.user, today=today)
    except ValidationError as error:
        forms_by_field = {name: statutory for name in statutory.fields}
        if discretionary is not None:
            forms_by_field.update({name: discretionary for name in discretionary.fields})
        current = discretionary or statutory
        if discretionary is not None:
            statutory = StatutoryForm(request.POST, today=today, hidden=True)
            statutory.is_valid()
        apply_service_errors(forms_by_field.get, error, current)
        context.update(
            {
                "statutory": statutory,
                "discretionary": discretionary or DiscretionaryForm(ask_due_24=False),
                "step_two": discretionary is not None,
            }
        )
        template = "discretionary" if discretionary is not None else "statutory"
        return render(request, f"casework/early_allocation/{template}.html", context)
    code, label = early_allocation_status(assessment)
    messages.success(request, f"Early allocation assessment saved. {label}.")
    return _go_to_case(request, prisoner)


@prison_page(perm="casework.assess_early_allocation")
@require_http_methods(["GET", "POST"])
def community_decision(request, prison_number: str):
    prisoner = _case(request, prison_number)
    if not _can_assess(request, prisoner):
        raise PermissionDenied("Only the case's POM or the head of offender management delivery can record this")
    today = timezone.localdate()
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    confirm_only = latest is not None and latest.outcome == ELIGIBLE
    form = CommunityDecisionForm(
        request.POST or None, today=today, confirm_only=confirm_only, initial={"expected": getattr(latest, "pk", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            early_allocation_community_decision_record(
                prisoner=prisoner,
                decision=form.decision,
                decided_on=form.cleaned_data["decided_on"],
                actor=request.user,
                today=today,
                expected_id=form.cleaned_data["expected"],
            )
        except ValidationError as error:
            apply_service_errors(lambda name: form if name in form.fields else None, error, form)
        else:
            messages.success(request, "Community decision recorded")
            return _go_to_case(request, prisoner)
    context = _base(request, prisoner, today)
    context.update({"latest": latest, "form": form, "confirm_only": confirm_only})
    return render(request, "casework/early_allocation/decision.html", context)


@prison_page(perm="casework.approve_early_allocation")
@require_http_methods(["GET", "POST"])
def approve(request, prison_number: str):
    prisoner = _case(request, prison_number)
    today = timezone.localdate()
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    form = ApproveForm(request.POST or None, initial={"expected": getattr(latest, "pk", "")})
    if request.method == "POST" and form.is_valid():
        try:
            approved = early_allocation_approve(
                prisoner=prisoner, actor=request.user, today=today, expected_id=form.cleaned_data["expected"]
            )
        except ValidationError as error:
            apply_service_errors(lambda name: None, error, form)
        else:
            sent = "The community decision request was sent to the probation delivery unit."
            messages.success(
                request, "Early allocation referral approved. " + (sent if approved.referral_sent_at else "")
            )
            return _go_to_case(request, prisoner)
    context = _base(request, prisoner, today)
    context.update({"latest": latest, "answers": answer_rows(latest) if latest else [], "form": form})
    return render(request, "casework/early_allocation/approve.html", context)


@prison_page(perm="casework.assess_early_allocation")
@require_http_methods(["GET", "POST"])
def send_referral(request, prison_number: str):
    """Send a referral that could not go when the assessment was made or approved (no mailbox then)."""
    prisoner = _case(request, prison_number)
    if not _can_assess(request, prisoner):
        raise PermissionDenied("Only the case's POM or the head of offender management delivery can send it")
    today = timezone.localdate()
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    form = ApproveForm(request.POST or None, initial={"expected": getattr(latest, "pk", "")})
    if request.method == "POST" and form.is_valid():
        try:
            early_allocation_referral_send(
                prisoner=prisoner, actor=request.user, today=today, expected_id=form.cleaned_data["expected"]
            )
        except ValidationError as error:
            apply_service_errors(lambda name: None, error, form)
        else:
            messages.success(request, "The referral was sent to the probation delivery unit")
            return _go_to_case(request, prisoner)
    context = _base(request, prisoner, today)
    context.update({"latest": latest, "form": form, "needs_referral": referral_unsent(latest)})
    return render(request, "casework/early_allocation/send_referral.html", context)


@prison_page(perm="casework.view_early_allocation")
def summary(request, prison_number: str):
    """The printable summary of the latest assessment (or ``?assessment=<id>`` of this case)."""
    prisoner = _case(request, prison_number)
    assessments = early_allocation_list_for_case(prisoner=prisoner)
    wanted = positive_id(request.GET.get("assessment", ""))
    assessment = next((a for a in assessments if a.pk == wanted), None) if wanted else None
    assessment = assessment or early_allocation_latest_for_case(prisoner=prisoner)
    context = {"prison": request.prison, "prisoner": prisoner, "assessment": None}
    if assessment is not None:
        assessment.prisoner = prisoner
        window = referral_window_for(prisoner=prisoner, today=timezone.localdate())
        context.update(summary_context(assessment, window=window))
    return render(request, "casework/early_allocation/summary.html", context)


CSV_COLUMNS = [
    ("prison_number", lambda a: a.prisoner_id),
    ("name", lambda a: a.prisoner.list_name),
    ("assessed_on", lambda a: timezone.localdate(a.created_at)),
    ("outcome", lambda a: a.outcome),
    ("status", lambda a: early_allocation_status(a)[0]),
    ("assessed_by", lambda a: a.created_by.get_full_name() if a.created_by else ""),
    ("community_decision", lambda a: {True: "yes", False: "no"}.get(a.community_decision, "")),
    ("community_decision_date", lambda a: a.community_decision_date or ""),
]


@prison_page(perm="casework.view_early_allocation_list")
def assessment_list(request):
    """The HOMD's list: pending decisions (the default) or every case's latest assessment."""
    show = request.GET.get("show", "pending")
    show = show if show in ("pending", "all") else "pending"
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "oldest")
    sort = sort if sort in SORTS else "oldest"
    qs = early_allocation_list(prison=request.prison, pending=show == "pending", search=search, sort=sort)
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"early-allocation-{show}-{request.prison.code}.csv",
            header=[name for name, _ in CSV_COLUMNS],
            rows=([value(a) for _, value in CSV_COLUMNS] for a in qs.iterator(chunk_size=500)),
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"assessment": a, "status": early_allocation_status(a)} for a in page.object_list]
    params = {k: v for k, v in {"show": show, "q": search}.items() if v}
    return render(
        request,
        "casework/early_allocation/list.html",
        {
            "prison": request.prison,
            "page": page,
            "rows": rows,
            "show": show,
            "search": search,
            "tabs": [
                {"key": key, "label": label, "url": "?" + urlencode({"show": key}), "current": key == show}
                for key, label in (("pending", "Pending decisions"), ("all", "All assessments"))
            ],
            "sort_links": [
                {"label": label, "url": "?" + urlencode({**params, "sort": key}), "current": key == sort}
                for key, (label, _) in SORTS.items()
            ],
            "query": urlencode({**params, "sort": sort}),
            "csv_url": "?" + urlencode({**params, "sort": sort, "format": "csv"}),
        },
    )
