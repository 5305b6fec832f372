"""The recall placement page: the placement suggested for a recall and why, and the HOMD's decision (RC-1 to RC-3)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison
from casework.parole_forms import RecallPlacementForm, apply_service_errors
from casework.recall_selectors import recall_placement_for
from casework.recall_services import recall_placement_decide


@prison_page(perm="casework.view_recall_placement")
@require_http_methods(["GET", "POST"])
def recall_placement(request, prison_number: str):
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    today = timezone.localdate()
    view = recall_placement_for(prisoner=prisoner)
    can_decide = view.recalled and request.user.has_perm("casework.decide_recall_placement")
    initial = {}
    if view.decision is not None:
        initial.update(chosen=view.decision.chosen, override_reason=view.decision.override_reason)
    elif view.suggestion is not None and view.suggestion.placement:
        initial["chosen"] = view.suggestion.placement
    form = RecallPlacementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("Only the HOMD decides a recall's placement")
        if form.is_valid():
            try:
                recall_placement_decide(prisoner=prisoner, actor=request.user, today=today, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Recall placement saved")
                return redirect("recall_placement", prison_code=request.prison.code, prison_number=prisoner.pk)
    return render(
        request,
        "casework/recall/placement.html",
        {"prison": request.prison, "prisoner": prisoner, "view": view, "form": form, "can_decide": can_decide},
    )
