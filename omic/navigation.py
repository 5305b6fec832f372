"""Primary navigation by role. An item appears only for the roles that can use it, and only once it exists."""

from dataclasses import dataclass

from django.urls import reverse

from cases.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    needs_prison: bool = True


PRISON_STAFF = frozenset({Role.POM, Role.HOMD, Role.HOMS, Role.CASE_ADMIN, Role.KEY_WORKER})
OMU_STAFF = frozenset({Role.POM, Role.HOMD, Role.HOMS, Role.CASE_ADMIN})

NAV_ITEMS = (
    NavItem("Home", "prison_home", PRISON_STAFF),
    NavItem("Prisoners", "prisoner_list", OMU_STAFF | {Role.KEY_WORKER}),
    NavItem("Staff", "staff_list", frozenset({Role.HOMD, Role.HOMS})),
    NavItem("National view", "national_home", frozenset({Role.NATIONAL_VIEWER, Role.SERVICE_ADMIN}), False),
    NavItem("Service admin", "service_admin_home", frozenset({Role.SERVICE_ADMIN}), False),
)


def nav_items_for(*, roles: set[str], prison_code: str | None, current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if not roles & item.roles:
            continue
        if item.needs_prison:
            if prison_code is None:
                continue
            url = reverse(item.url_name, kwargs={"prison_code": prison_code})
        else:
            url = reverse(item.url_name)
        home_like = item.url_name == "prison_home"
        active = current_path == url if home_like else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
