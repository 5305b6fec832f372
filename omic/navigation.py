"""Primary navigation by role: an item appears only for users whose role grants its page's permission."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    needs_prison: bool = True


NAV_ITEMS = (
    NavItem("Home", "prison_home", "cases.view_prison"),
    NavItem("Dashboard", "homd_dashboard", "dashboards.view_homd_dashboard"),
    NavItem("Caseload", "caseload", "dashboards.view_caseload"),
    NavItem("Prisoners", "prisoner_list", "cases.view_prisoner_list"),
    NavItem("Search", "search", "dashboards.search"),
    NavItem("Allocations", "allocation_to_allocate", "allocation.view_allocations"),
    NavItem("Handovers", "handover_list", "handover.view_handovers"),
    NavItem("Parole", "parole_approaching", "casework.view_parole_list"),
    NavItem("Tasks", "task_list", "casework.view_tasks"),
    NavItem("Key work", "keywork_home", "keywork.view_key_work"),
    NavItem("Staff", "pom_list", "cases.view_staff_list"),
    NavItem("Oversight", "oversight_home", "oversight.view_oversight"),
    NavItem("Community pipeline", "community_pipeline", "handover.view_community_pipeline", needs_prison=False),
    NavItem("National view", "national_home", "cases.view_national", needs_prison=False),
    NavItem("OMiC measures", "national_measures", "dashboards.view_national_measures", needs_prison=False),
    NavItem("Service admin", "service_admin_home", "cases.manage_service", needs_prison=False),
    NavItem("Audit trail", "audit_search", "cases.manage_service", needs_prison=False),
)


def nav_items_for(*, user, prison_code: str | None, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.needs_prison and prison_code is None:
            continue
        if not user.has_perm(item.perm):
            continue
        url = reverse(item.url_name, kwargs={"prison_code": prison_code} if item.needs_prison else None)
        active = current_path == url if item.url_name == "prison_home" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
