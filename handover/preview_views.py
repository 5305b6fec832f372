"""The policy preview page: before a new policy version goes live, which stored results it would change, and how.

Service admins choose any prison or everywhere; a HOMD chooses among their own prisons (DECISIONS.md D-17). The
comparison is H2's read-only ``handover.services.preview.policy_preview``.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cases.scoping import role_page
from cases.selectors import prison_list_for_user
from handover.calculations import POLICY_VERSIONS
from handover.forms import PolicyPreviewForm
from handover.selectors import prison_choice_list
from handover.services.preview import policy_preview

PAGE_SIZE = 100
EVERYWHERE = ""


def _policy_label(version) -> str:
    until = "" if version.in_force_to is None else f" to {version.in_force_to:%-d %B %Y}"
    return f"{version.label} (in force from {version.in_force_from:%-d %B %Y}{until})"


@role_page(perm="handover.preview_policy")
def policy_preview_page(request):
    today = timezone.localdate()
    if request.user.has_perm("cases.manage_service"):
        prisons = [(EVERYWHERE, "Every prison"), *((p.code, f"{p.name} ({p.code})") for p in prison_choice_list())]
    else:
        prisons = [(p.code, f"{p.name} ({p.code})") for p in prison_list_for_user(user=request.user)]
    policies = [(v.name, _policy_label(v)) for v in POLICY_VERSIONS.values()]
    form = PolicyPreviewForm(request.GET if "policy" in request.GET else None, policies=policies, prisons=prisons)
    context = {"form": form, "today": today}
    if form.is_bound and form.is_valid():
        policy = form.cleaned_data["policy"]
        prison_code = form.cleaned_data["prison"] or None
        if prison_code is None and not request.user.has_perm("cases.manage_service"):  # never: the form refuses it
            raise PermissionDenied
        rows = policy_preview(policy=policy, today=today, prison_code=prison_code)
        context.update(
            {
                "policy": POLICY_VERSIONS[policy],
                "prison_label": dict(prisons).get(prison_code or EVERYWHERE, ""),
                "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
                "query": f"policy={policy}&prison={prison_code or ''}",
            }
        )
    return render(request, "handover/policy_preview.html", context)
