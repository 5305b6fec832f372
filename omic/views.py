"""Pages that combine the records with the engines: role home pages, the prison switcher and the national view."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from allocation.staff_selectors import over_capacity_limit, pom_attention_counts
from cases.models import Role
from cases.scoping import prison_page, role_page
from cases.selectors import (
    key_worker_count_for_prison,
    pom_profile_for_user,
    pom_profile_list_for_prison,
    prison_active_for_user,
    prison_get_for_user,
    prison_list_for_user,
    prison_overview_list,
    prison_summary,
    user_roles,
)
from omic.exports import csv_response

# The home page a user sees in a prison is that of their most senior role there.
HOME_PRECEDENCE = (Role.HOMD, Role.HOMS, Role.POM, Role.CASE_ADMIN, Role.KEY_WORKER)


@login_required
def home(request):
    """Send each user to where their work is: their active prison, or the national or service-admin view."""
    roles = user_roles(user=request.user)
    prisons = prison_list_for_user(user=request.user)
    if prisons and request.user.has_perm("cases.view_prison"):
        prison = prison_active_for_user(user=request.user, code=request.session.get("active_prison"))
        return redirect("prison_home", prison_code=prison.code)
    if request.user.has_perm("cases.manage_service"):
        return redirect("service_admin_home")
    if request.user.has_perm("cases.view_national"):
        return redirect("national_home")
    return render(request, "home/no_access.html", {"roles": roles, "prisons": prisons})


@login_required
@require_http_methods(["GET", "POST"])
def prison_switch(request):
    """The prison switcher: make another of the user's prisons the active one. Any other prison is a 404."""
    code = (request.POST.get("prison") or request.GET.get("prison") or "").strip().upper()
    if not code:
        return redirect("home")
    prison = prison_get_for_user(user=request.user, code=code)
    request.session["active_prison"] = prison.code
    return redirect("prison_home", prison_code=prison.code)


@prison_page(perm="cases.view_prison")
def prison_home(request):
    prison, today = request.prison, timezone.localdate()
    roles = user_roles(user=request.user)
    role = next(r for r in HOME_PRECEDENCE if r in roles)
    context = {
        "prison": prison,
        "today": today,
        "role": role,
        "role_label": Role(role).label,
        "summary": prison_summary(prison=prison),
    }
    if role in (Role.HOMD, Role.HOMS):
        poms = list(pom_profile_list_for_prison(prison=prison))
        context.update(
            {
                "poms": poms,
                "active_pom_count": sum(1 for p in poms if p.status == p.Status.ACTIVE),
                "key_worker_count": key_worker_count_for_prison(prison=prison),
                # POMs away or closed with cases, and POMs over the weighted load per FTE (POM_CAPACITY_PER_FTE).
                "pom_attention": pom_attention_counts(prison=prison, today=today),
                "capacity_per_fte": over_capacity_limit(),
            }
        )
    if role == Role.POM:
        context["pom_profile"] = pom_profile_for_user(user=request.user, prison=prison)
    return render(request, f"home/{role}.html", context)


@prison_page(perm="cases.view_staff_list")
def staff_list(request):
    poms = list(pom_profile_list_for_prison(prison=request.prison))
    return render(request, "home/staff_list.html", {"prison": request.prison, "poms": poms})


@role_page(perm="cases.view_national")
def national_home(request):
    prisons = list(prison_overview_list())
    if request.GET.get("format") == "csv":
        return csv_response(
            filename="prisons.csv",
            header=["prison_code", "prison_name", "estate", "operator", "country", "prisoners", "active_poms"],
            rows=([p.code, p.name, p.estate, p.operator, p.country, p.prisoner_count, p.pom_count] for p in prisons),
        )
    totals = {
        "prisoners": sum(p.prisoner_count for p in prisons),
        "poms": sum(p.pom_count for p in prisons),
    }
    return render(request, "home/national_viewer.html", {"prisons": prisons, "totals": totals})


@role_page(perm="cases.manage_service")
def service_admin_home(request):
    prisons = list(prison_overview_list())
    return render(request, "home/service_admin.html", {"prisons": prisons})
