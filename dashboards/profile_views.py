"""The prisoner profile: one page for the whole case (the ``prisoner_detail`` URL).

It opens with what happens next and who must do it; then identity and location, the handover panel, the people on
the case, sentence dates, tier, risk, early allocation and parole, tasks and service level, key work, alerts and the
full timeline. Every section links to where it is changed, for those allowed to change it.
"""

from django.shortcuts import render
from django.utils import timezone

from cases.audit import audit_record_viewed
from cases.scoping import prison_page
from cases.selectors import prisoner_get_for_prison
from dashboards.profile_calculations import CaseState, next_actions
from dashboards.profile_selectors import case_links, profile_for, sentence_dates, tier_breakdown

ACTION_PERMS = {
    "allocation": "allocation.view_allocations",
    "missing_details": "allocation.fill_missing_details",
    "handover_checklist": "handover.view_handover",
    "case_tasks": "casework.view_case_tasks",
    "early_allocation": "casework.view_early_allocation",
}

# Next actions a user without ``cases.view_case_record`` (a key worker) is shown: alerts, which the profile shows
# them anyway. The rest name the tier, the handover, task kinds or early allocation (the OMU's case record).
CASE_RECORD_FREE_ACTIONS = {"alerts"}


def _case_state(profile, prisoner) -> CaseState:
    case_information = getattr(prisoner, "case_information", None)
    primary = profile.primary
    open_tasks = profile.open_tasks
    first = open_tasks[0] if open_tasks else None
    calculated = profile.panel.calculated
    return CaseState(
        pom_name=(primary.pom.user.get_full_name() or primary.pom.user.get_username()) if primary else "",
        missing_details=case_information is None or not case_information.tier,
        handover_next_step=profile.handover_next_step,
        next_task_what=first.get_kind_display() if first else "",
        next_task_due=first.due_date if first else None,
        next_task_owner=first.owner if first else "",
        early_allocation_code=profile.early_allocation_status[0],
        alerts=tuple((a.message, a.due_date) for a in profile.alerts),
        inside_omic=calculated is None or calculated.inside_omic_policy,
    )


@prison_page(perm="cases.view_prisoner")
def prisoner_profile(request, prison_number: str):
    today = timezone.localdate()
    prisoner = prisoner_get_for_prison(prison=request.prison, prison_number=prison_number)
    audit_record_viewed(actor=request.user, prisoner=prisoner, what="profile")  # the full record: reading is audited
    profile = profile_for(prisoner=prisoner, user=request.user, today=today)
    case_information = getattr(prisoner, "case_information", None)
    key_work_allocation = profile.key_work.key_worker_allocation
    links = case_links(prison_code=request.prison.code, prison_number=prisoner.prison_number)
    user = request.user
    # A next action links to where it is done only for those allowed there.
    action_links = {k: v for k, v in links.items() if k not in ACTION_PERMS or user.has_perm(ACTION_PERMS[k])}
    actions = next_actions(_case_state(profile, prisoner), today=today)
    can_view_case_record = user.has_perm("cases.view_case_record", request.prison)
    if not can_view_case_record:  # the others name the tier, handover, tasks or early allocation: the case record's
        actions = [a for a in actions if a.link in CASE_RECORD_FREE_ACTIONS]
    return render(
        request,
        "dashboards/profile/profile.html",
        {
            "prison": request.prison,
            "prisoner": prisoner,
            "sentence": getattr(prisoner, "sentence", None),
            "sentence_dates": [d for d in sentence_dates(getattr(prisoner, "sentence", None)) if d["value"]],
            "case_information": case_information,
            "profile": profile,
            "actions": [(a, action_links.get(a.link, "")) for a in actions],
            "links": links,
            "today": today,
            "can_view_case_record": can_view_case_record,
            "tier_sections": tier_breakdown(profile.tier_record),
            # The handover panel (handover/includes/handover_panel.html), fed from the reads already made.
            "panel": profile.panel,
            "why": profile.explanation,
            "next_step": profile.handover_next_step,
            "can_override": user.has_perm("handover.override_responsibility"),
            "can_see_checklist": user.has_perm("handover.view_handover"),
            # "Manage this case" (allocation/_manage_case.html), likewise.
            "primary": profile.primary,
            "co_working": profile.co_working,
            "com": getattr(case_information, "com", None),
            "key_worker": key_work_allocation.key_worker if key_work_allocation else None,
        },
    )
