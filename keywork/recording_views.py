"""Key work recording pages: the key worker's own caseload, a case's key work, and the forms that record sessions,
POM–key worker contacts and progression plans.

Every page sits under /prisons/<code>/ behind ``prison_page``, which answers 404 for another prison's user before
anything else (including the method check) runs. The quality-check pages are in ``keywork.recording_quality_views``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison, user_roles
from keywork.recording_forms import (
    GoalForm,
    GoalProgressForm,
    PomContactForm,
    ProgressionPlanForm,
    SessionForm,
    apply_service_errors,
)
from keywork.recording_quality_services import quality_feedback_mark_seen
from keywork.recording_selectors import (
    case_key_work,
    case_pom_user_ids,
    caseload_for_key_worker,
    key_worker_users_for_prison,
    pom_users_for_prison,
    progression_goals_in_progress,
    progression_plan_active_for_prisoner,
    quality_check_get,
    quality_feedback_for_key_worker,
)
from keywork.recording_services import (
    goal_progress_record,
    pom_contact_record,
    progression_goal_add,
    progression_plan_close,
    progression_plan_create,
    session_record,
)
from keywork.selectors import allocation_active_for_prisoner


def _case_url(prison, prisoner) -> str:
    return reverse("keywork_case", kwargs={"prison_code": prison.code, "prison_number": prisoner.prison_number})


def _case_for_writing(request, prison_number: str, *, perm: str):
    """The prisoner; a POST needs ``perm`` on them (a POM writes only on the cases allocated to them)."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    if request.method == "POST" and not request.user.has_perm(perm, prisoner):
        raise PermissionDenied("Only the prisoner's POM or a key worker can record this")
    return prisoner


def _form_page(
    request, *, prisoner, form, title: str, submit: str, template="keywork/recording/form_page.html", **extra
):
    context = {"prison": request.prison, "prisoner": prisoner, "form": form, "title": title, "submit": submit}
    context["cancel_url"] = extra.pop("cancel_url", None) or _case_url(request.prison, prisoner)
    return render(request, template, {**context, **extra})


@prison_page(perm="keywork.view_own_caseload")
@require_http_methods(["GET", "POST"])
def my_prisoners(request):
    """The key worker's own page: their prisoners, who is due or overdue a session, and feedback on their entries."""
    if request.method == "POST":
        check = quality_check_get(prison=request.prison, check_id=request.POST.get("check"))
        if check is not None:
            try:
                quality_feedback_mark_seen(check=check, user=request.user, now=timezone.now())
                messages.success(request, "Feedback marked as read")
            except ValidationError as error:
                messages.error(request, error.messages[0])
        return redirect("keywork_my_prisoners", prison_code=request.prison.code)
    today = timezone.localdate()
    caseload = caseload_for_key_worker(user=request.user, prison=request.prison, today=today)
    feedback = quality_feedback_for_key_worker(user=request.user, prison=request.prison)
    return render(
        request,
        "keywork/recording/my_prisoners.html",
        {
            "prison": request.prison,
            "caseload": caseload,
            "feedback": feedback,
            "unread_feedback": sum(1 for c in feedback if c.seen_by_key_worker_at is None),
            "today": today,
        },
    )


@prison_page(perm="keywork.view_case_key_work")
def case_page(request, prison_number: str):
    """A case's key work: its key worker, sessions, POM–key worker contacts and progression plans."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    key_work = case_key_work(prisoner=prisoner, user=request.user)
    user = request.user
    return render(
        request,
        "keywork/recording/case.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "key_work": key_work,
            "can_record_session": user.has_perm("keywork.record_session"),
            "can_record_contact": user.has_perm("keywork.record_pom_contact"),
            "can_manage_plan": user.has_perm("keywork.manage_progression_plan"),
            "can_view_allocations": user.has_perm("keywork.view_allocations", request.prison),
            "can_manage_key_workers": user.has_perm("keywork.manage_key_workers", request.prison),
            "can_view_own_caseload": user.has_perm("keywork.view_own_caseload", request.prison),
        },
    )


@prison_page(perm="keywork.record_session")
@require_http_methods(["GET", "POST"])
def session_new(request, prison_number: str):
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    goals = progression_goals_in_progress(prisoner=prisoner)
    today = timezone.localdate()
    from_mine = request.GET.get("from") == "mine"
    back = reverse("keywork_my_prisoners", kwargs={"prison_code": request.prison.code}) if from_mine else None
    form = SessionForm(request.POST or None, goals=goals, today=today, initial={"session_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_record(
                prison=request.prison,
                prisoner=prisoner,
                key_worker=request.user,
                session_date=data["session_date"],
                session_type=data["session_type"],
                duration_minutes=data["duration_minutes"],
                notes=data["notes"],
                is_sensitive=data["is_sensitive"],
                goal_notes=form.goal_notes(),
                today=today,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Key work recorded for {prisoner.full_name}")
            return redirect(back or _case_url(request.prison, prisoner))
    allocation = allocation_active_for_prisoner(prisoner=prisoner)
    return _form_page(
        request,
        prisoner=prisoner,
        form=form,
        title="Record key work",
        submit="Save",
        cancel_url=back,
        not_their_key_worker=allocation is None or allocation.key_worker.user_id != request.user.pk,
        allocation=allocation,
    )


@prison_page(perm="keywork.record_pom_contact")
@require_http_methods(["GET", "POST"])
def contact_new(request, prison_number: str):
    prisoner = _case_for_writing(request, prison_number, perm="keywork.record_case_pom_contact")
    poms = pom_users_for_prison(prison=request.prison)
    key_workers = key_worker_users_for_prison(prison=request.prison)
    today = timezone.localdate()
    initial = {"contact_date": today}
    roles = user_roles(user=request.user)
    if "key_worker" in roles:
        initial["key_worker"] = request.user.pk
        case_poms = case_pom_user_ids(prisoner=prisoner)
        if case_poms:
            initial["pom"] = case_poms[0]
    if "pom" in roles:
        initial["pom"] = request.user.pk
        allocation = allocation_active_for_prisoner(prisoner=prisoner)
        if allocation is not None:
            initial["key_worker"] = allocation.key_worker.user_id
    form = PomContactForm(request.POST or None, poms=poms, key_workers=key_workers, today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pom_contact_record(
                prison=request.prison,
                prisoner=prisoner,
                actor=request.user,
                today=today,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "POM–key worker contact recorded")
            return redirect(_case_url(request.prison, prisoner))
    return _form_page(request, prisoner=prisoner, form=form, title="Record a POM–key worker contact", submit="Save")


@prison_page(perm="keywork.manage_progression_plan")
@require_http_methods(["GET", "POST"])
def plan_new(request, prison_number: str):
    prisoner = _case_for_writing(request, prison_number, perm="keywork.manage_case_progression_plan")
    existing = progression_plan_active_for_prisoner(prisoner=prisoner)
    poms = pom_users_for_prison(prison=request.prison)
    initial = {}
    if "pom" in user_roles(user=request.user):
        initial["agreed_by_pom"] = request.user.pk
    form = ProgressionPlanForm(request.POST or None, poms=poms, initial=initial)
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        try:
            progression_plan_create(
                prison=request.prison,
                prisoner=prisoner,
                has_sentence_plan=data["has_sentence_plan"] == "yes",
                pom_agreed=data["pom_agreed"],
                agreed_by_pom=data["agreed_by_pom"],
                goals=form.goals(),
                actor=request.user,
                today=timezone.localdate(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Progression plan started")
            return redirect(_case_url(request.prison, prisoner))
    return _form_page(
        request,
        prisoner=prisoner,
        form=form,
        title="Start a progression plan",
        submit="Start the plan",
        template="keywork/recording/plan_new.html",
        existing=existing,
    )


@prison_page(perm="keywork.manage_progression_plan")
@require_http_methods(["GET", "POST"])
def goal_new(request, prison_number: str):
    prisoner = _case_for_writing(request, prison_number, perm="keywork.manage_case_progression_plan")
    plan = progression_plan_active_for_prisoner(prisoner=prisoner)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and plan is not None and form.is_valid():
        try:
            progression_goal_add(plan=plan, actor=request.user, today=timezone.localdate(), **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Goal added to the progression plan")
            return redirect(_case_url(request.prison, prisoner))
    return _form_page(
        request, prisoner=prisoner, form=form, title="Add a goal", submit="Add the goal", no_plan=plan is None
    )


@prison_page(perm="keywork.manage_progression_plan")
@require_http_methods(["GET", "POST"])
def goal_progress(request, prison_number: str):
    prisoner = _case_for_writing(request, prison_number, perm="keywork.manage_case_progression_plan")
    plan = progression_plan_active_for_prisoner(prisoner=prisoner)
    goals = list(plan.goals.all()) if plan is not None else []
    initial = {"goal": request.GET.get("goal"), "status": "in_progress"}
    form = GoalProgressForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        goal = next(g for g in goals if g.pk == form.cleaned_data["goal"])
        goal_progress_record(
            goal=goal,
            note=form.cleaned_data["note"],
            status=form.cleaned_data["status"],
            noted_on=timezone.localdate(),
            actor=request.user,
        )
        messages.success(request, "Progress recorded")
        return redirect(_case_url(request.prison, prisoner))
    return _form_page(
        request, prisoner=prisoner, form=form, title="Record progress on a goal", submit="Save", no_plan=not goals
    )


@prison_page(perm="keywork.manage_progression_plan")
@require_http_methods(["GET", "POST"])
def plan_close(request, prison_number: str):
    prisoner = _case_for_writing(request, prison_number, perm="keywork.manage_case_progression_plan")
    plan = progression_plan_active_for_prisoner(prisoner=prisoner)
    if request.method == "POST" and plan is not None:
        progression_plan_close(plan=plan, actor=request.user, today=timezone.localdate())
        messages.success(request, "Progression plan closed")
        return redirect(_case_url(request.prison, prisoner))
    return render(
        request,
        "keywork/recording/plan_close.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "plan": plan,
            "cancel_url": _case_url(request.prison, prisoner),
        },
    )
