"""A case's tier page: the current tier, where it came from, its points breakdown and history, and a form to enter
the tier by hand (D-10)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison
from tiering.forms import TierByHandForm
from tiering.selectors import tier_inputs_get, tier_record_history
from tiering.services import tier_set_by_hand


def _breakdown_sections(record) -> list[dict]:
    """The breakdown of a record, grouped for display: V2 protect and change points, or V3 steps."""
    if record is None or not record.breakdown:
        return []
    if record.model == "v3":
        return [{"title": "Steps that gave a tier", "unit": "Tier", "rows": record.breakdown}]
    sections = {}
    for factor, points in record.breakdown:
        title, _, text = factor.partition(": ")
        sections.setdefault(title, []).append((text, points))
    return [
        {"title": f"{title} points", "unit": "Points", "rows": rows, "total": sum(p for _, p in rows)}
        for title, rows in sections.items()
    ]


@prison_page(perm="tiering.view_tier")
@require_http_methods(["GET", "POST"])
def tier_detail(request, prison_number: str):
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    can_set = request.user.has_perm("tiering.set_tier_by_hand", request.prison)
    form = TierByHandForm()
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("Your role does not let you enter a tier by hand")
        form = TierByHandForm(request.POST)
        if form.is_valid():
            try:
                record = tier_set_by_hand(
                    prisoner=prisoner,
                    tier=form.cleaned_data["tier"],
                    reason=form.cleaned_data["reason"],
                    today=timezone.localdate(),
                    actor=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Tier {record.tier} entered by hand for {prisoner.full_name}")
                return redirect(request.path)
    history = tier_record_history(prisoner=prisoner)
    current = next((r for r in history if r.current), None)
    return render(
        request,
        "tiering/tier_detail.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "case_information": getattr(prisoner, "case_information", None),
            "current": current,
            "sections": _breakdown_sections(current),
            "history": history,
            "inputs": tier_inputs_get(prisoner=prisoner),
            "form": form,
            "can_set": can_set,
        },
    )
