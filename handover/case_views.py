"""Handover pages for one case (the checklist, the responsibility override and its removal) and the POM's own
reminder email settings. Every form posts, then redirects (POST/redirect/GET), with GOV.UK errors naming the field.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.scoping import prison_page, role_page
from cases.selectors import prisoner_get_for_prison
from handover.checklist import TASK_LABELS
from handover.forms import ChecklistForm, EmailPreferenceForm, OverrideForm, OverrideRemoveForm
from handover.selectors import email_preference_for_user, handover_panel_for_prisoner
from handover.services.checklists import handover_checklist_update
from handover.services.email_preferences import PREFERENCE_FIELDS, handover_email_preference_update
from handover.services.overrides import responsibility_override_create, responsibility_override_remove


def _prisoner_url(request, prisoner) -> str:
    return reverse("prisoner_detail", kwargs={"prison_code": request.prison.code, "prison_number": prisoner.pk})


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@prison_page(perm="handover.view_handover")
def handover_checklist(request, prison_number: str):
    """The case's handover tasks by handover type (D-07), with progress; the allocated POM or a manager ticks them."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    today = timezone.localdate()
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=today)
    can_change = bool(panel.tasks) and request.user.has_perm("handover.change_checklist", prisoner)
    initial = {"done": [name for name in panel.tasks if panel.checklist and getattr(panel.checklist, name)]}
    form = ChecklistForm(request.POST if request.method == "POST" else None, tasks=panel.tasks, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only the case's POM or an OMU manager can update its checklist")
        if form.is_valid():
            try:
                handover_checklist_update(
                    prisoner=prisoner,
                    handover_type=panel.calculated.handover_type,
                    tasks=panel.tasks,
                    done=set(form.cleaned_data["done"]),
                    actor=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Handover checklist saved")
                return redirect("handover_checklist", prison_code=request.prison.code, prison_number=prisoner.pk)
    return render(
        request,
        "handover/checklist.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "panel": panel,
            "form": form,
            "can_change": can_change,
            "task_rows": [
                {"label": TASK_LABELS[name], "done": bool(panel.checklist and getattr(panel.checklist, name))}
                for name in panel.tasks
            ],
            "prisoner_url": _prisoner_url(request, prisoner),
        },
    )


@prison_page(perm="handover.override_responsibility")
def handover_override_create(request, prison_number: str):
    """The HOMD overrides responsibility to the COM, with a reason (D-06). The dates do not change."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=timezone.localdate())
    form = OverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and panel.override is None and form.is_valid():
        try:
            responsibility_override_create(
                prisoner=prisoner,
                reason=form.cleaned_data["reason"],
                reason_text=form.cleaned_data["reason_text"],
                actor=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"The COM is now responsible for {prisoner.full_name}")
            return redirect(_prisoner_url(request, prisoner))
    return render(
        request,
        "handover/override_form.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "panel": panel,
            "form": form,
            "prisoner_url": _prisoner_url(request, prisoner),
        },
    )


@prison_page(perm="handover.override_responsibility")
def handover_override_remove(request, prison_number: str):
    """The HOMD removes the override, with a reason: the calculated responsibility applies again."""
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    panel = handover_panel_for_prisoner(prisoner=prisoner, today=timezone.localdate())
    form = OverrideRemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and panel.override is not None and form.is_valid():
        try:
            responsibility_override_remove(
                prisoner=prisoner, removal_reason=form.cleaned_data["removal_reason"], actor=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, f"Override removed: the calculated responsibility applies to {prisoner.full_name}"
            )
            return redirect(_prisoner_url(request, prisoner))
    return render(
        request,
        "handover/override_remove.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "panel": panel,
            "form": form,
            "prisoner_url": _prisoner_url(request, prisoner),
        },
    )


@role_page(perm="handover.change_email_preferences")
def email_preferences(request):
    """A POM chooses which of the three handover reminder emails they get."""
    preference = email_preference_for_user(user=request.user)
    initial = {name: getattr(preference, name) for name in PREFERENCE_FIELDS}
    form = EmailPreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        handover_email_preference_update(user=request.user, wanted=form.cleaned_data)
        messages.success(request, "Your handover email settings are saved")
        return redirect("handover_email_preferences")
    return render(request, "handover/email_preferences.html", {"form": form})
