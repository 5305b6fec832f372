"""Case task pages (DECISIONS.md D-12, D-11): the task list (a POM's own cases; the whole prison for the OMU managers,
filtered by POM, task and state, with CSV export), the overdue counts by task and by POM, a case's tasks with its
service level, marking a task done or not needed, and the service admin's timescales.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.scoping import prison_page, role_page
from cases.selectors import prisoner_get_for_prison
from casework.calculations.tasks import DEFAULT_TIMESCALES, TIMESCALE_KEYS, TIMESCALE_LABELS
from casework.models import TaskKind
from casework.task_forms import DONE, TaskFilterForm, TaskUpdateForm, TimescaleForm
from casework.task_selectors import (
    STATES,
    overdue_counts,
    pom_profile_for_user,
    pom_profile_list,
    service_level_for,
    task_get,
    task_list,
    task_list_for_prisoner,
    timescales_current,
)
from casework.task_services import task_mark_done, task_mark_not_needed, timescale_update
from omic.exports import csv_response

PAGE_SIZE = 50
KIND_LABELS = dict(TaskKind.choices)
CSV_HEADER = [
    "prison_number",
    "last_name",
    "first_name",
    "task",
    "owner",
    "due_date",
    "state",
    "completed_on",
    "completed_by",
    "not_needed_reason",
]


def state_of(task) -> str:
    if task.status == "due":
        return "overdue" if task.is_overdue else "due"
    return task.status


def _csv_rows(rows):
    for task in rows:
        who = task.completed_by
        yield [
            task.prisoner_id,
            task.prisoner.last_name,
            task.prisoner.first_name,
            KIND_LABELS[task.kind],
            task.get_owner_display(),
            task.due_date,
            STATES[state_of(task)],
            task.completed_on,
            (who.get_full_name() or who.get_username()) if who else "",
            task.not_needed_reason,
        ]


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@prison_page(perm="casework.view_tasks")
def task_list_page(request):
    """POM: the tasks of their own cases. HOMD/HOMS: every case's tasks, filtered by POM, task and state."""
    today = timezone.localdate()
    manager = request.user.has_perm("casework.view_prison_tasks", request.prison)
    poms = pom_profile_list(prison=request.prison) if manager else None
    form = TaskFilterForm(request.GET or None, poms=poms)
    filters = {}
    if form.is_bound:
        form.is_valid()  # a filter with an unknown value is dropped on its own; the valid ones still apply
        filters = form.cleaned_data
    kind, state = filters.get("kind") or None, filters.get("state") or None
    pom_choice = filters.get("pom") or ""
    if manager:
        pom = next((p for p in poms if str(p.pk) == pom_choice), None)
    else:
        pom = pom_profile_for_user(prison=request.prison, user=request.user)
        if pom is None:
            pom = -1  # a POM with no profile here has no cases
    rows = task_list(prison=request.prison, today=today, pom=pom, kind=kind, state=state)
    if manager and pom_choice == "none":
        rows = rows.filter(pom_id__isnull=True)
    params = {key: value for key, value in {"pom": pom_choice, "kind": kind, "state": state}.items() if value}
    if request.GET.get("format") == "csv":
        who = f"pom-{pom.pk}" if manager and pom else ("prison" if manager else "mine")
        return csv_response(
            filename=f"tasks-{request.prison.code}-{who}.csv", header=CSV_HEADER, rows=_csv_rows(rows.iterator())
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/tasks/list.html",
        {
            "prison": request.prison,
            "manager": manager,
            "form": form,
            "page": page,
            "rows": [{"task": task, "state": state_of(task), "label": KIND_LABELS[task.kind]} for task in page],
            "state_labels": STATES,
            "query": urlencode(params),
            "csv_url": "?" + urlencode({**params, "format": "csv"}),
            "today": today,
        },
    )


@prison_page(perm="casework.view_prison_tasks")
def task_overdue_summary(request):
    """The HOMD's overdue counts by task and by POM; each count links to the task list it counts."""
    today = timezone.localdate()
    counts = overdue_counts(prison=request.prison, today=today)
    poms = pom_profile_list(prison=request.prison)
    list_url = reverse("task_list", kwargs={"prison_code": request.prison.code})
    by_kind = [
        {"label": KIND_LABELS[kind], "count": n, "url": f"{list_url}?{urlencode({'kind': kind, 'state': 'overdue'})}"}
        for kind, n in sorted(counts["by_kind"].items(), key=lambda item: (-item[1], KIND_LABELS[item[0]]))
    ]
    names = {pom.pk: pom.user.get_full_name() or pom.user.get_username() for pom in poms}
    by_pom = [
        {
            "label": names.get(pom_id, "A POM of another prison") if pom_id is not None else "No POM allocated",
            "count": n,
            "url": f"{list_url}?{urlencode({'pom': pom_id if pom_id is not None else 'none', 'state': 'overdue'})}",
        }
        for pom_id, n in sorted(counts["by_pom"].items(), key=lambda item: (-item[1], str(item[0])))
    ]
    return render(
        request,
        "casework/tasks/overdue.html",
        {
            "prison": request.prison,
            "total": counts["total"],
            "total_url": f"{list_url}?state=overdue",
            "by_kind": by_kind,
            "by_pom": by_pom,
            "today": today,
        },
    )


@prison_page(perm="casework.view_case_tasks")
def case_tasks(request, prison_number: str):
    """One case's tasks, soonest due first, with its service level (D-11)."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    today = timezone.localdate()
    tasks = task_list_for_prisoner(prisoner=prisoner)
    return render(
        request,
        "casework/tasks/case.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "level": service_level_for(prisoner=prisoner, today=today),
            "rows": [
                {"task": task, "label": KIND_LABELS[task.kind], "state": _case_state(task, today)} for task in tasks
            ],
            "state_labels": STATES,
            "can_update": request.user.has_perm("casework.update_case_task", prisoner),
            "today": today,
        },
    )


def _case_state(task, today) -> str:
    if task.status == "due":
        return "overdue" if task.due_date < today else "due"
    return task.status


@prison_page(perm="casework.update_tasks")
def case_task_update(request, prison_number: str, task_id: int):
    """Mark one open task done (with the date) or not needed (with the reason)."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    task = task_get(prison=request.prison, task_id=task_id)
    if task.prisoner_id != prisoner.pk:
        return redirect("case_tasks", prison_code=request.prison.code, prison_number=prisoner.pk)
    if not request.user.has_perm("casework.update_case_task", prisoner):
        raise PermissionDenied("Only the case's POM or an OMU manager can update its tasks")
    today = timezone.localdate()
    form = TaskUpdateForm(request.POST if request.method == "POST" else None, initial={"completed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["outcome"] == DONE:
                task_mark_done(
                    task=task, user=request.user, completed_on=form.cleaned_data["completed_on"], today=today
                )
            else:
                task_mark_not_needed(task=task, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Task updated: {KIND_LABELS[task.kind]}")
            return redirect("case_tasks", prison_code=request.prison.code, prison_number=prisoner.pk)
    return render(
        request,
        "casework/tasks/update.html",
        {"prison": request.prison, "prisoner": prisoner, "task": task, "label": KIND_LABELS[task.kind], "form": form},
    )


@role_page(perm="casework.change_task_timescales")
def task_timescales(request):
    """The task timescales (D-12 defaults, and the service admin's changes)."""
    current = timescales_current()
    rows = [
        {
            "key": key,
            "label": TIMESCALE_LABELS[key],
            "value": getattr(current, key),
            "default": getattr(DEFAULT_TIMESCALES, key),
        }
        for key in TIMESCALE_KEYS
    ]
    return render(request, "casework/tasks/timescales.html", {"rows": rows})


@role_page(perm="casework.change_task_timescales")
def task_timescale_change(request, key: str):
    if key not in TIMESCALE_KEYS:
        raise Http404("No such timescale")
    value = getattr(timescales_current(), key)
    form = TimescaleForm(request.POST or None, initial={"amount": value.amount, "unit": value.unit})
    if request.method == "POST" and form.is_valid():
        try:
            timescale_update(key=key, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Timescale saved. Every case's open tasks are being recomputed.")
            return redirect("task_timescales")
    return render(
        request,
        "casework/tasks/timescale_form.html",
        {"form": form, "label": TIMESCALE_LABELS[key], "default": getattr(DEFAULT_TIMESCALES, key)},
    )
