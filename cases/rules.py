"""Permission predicates (django-rules), autodiscovered. Selectors scope lists; these answer "may this user act"."""

import rules

from cases.models import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        if not user.is_authenticated:
            return False
        from cases.selectors import user_roles

        return role in user_roles(user=user)

    return predicate


is_pom = _has_role(Role.POM)
is_homd = _has_role(Role.HOMD)
is_homs = _has_role(Role.HOMS)
is_case_admin = _has_role(Role.CASE_ADMIN)
is_key_worker = _has_role(Role.KEY_WORKER)
is_national_viewer = _has_role(Role.NATIONAL_VIEWER)
is_service_admin = _has_role(Role.SERVICE_ADMIN)


@rules.predicate
def works_in_prison(user, prison) -> bool:
    if prison is None or not user.is_authenticated:
        return False
    return prison.staff.filter(user=user).exists()


is_omu_staff = is_pom | is_homd | is_homs | is_case_admin

rules.add_perm("cases.view_prison", works_in_prison)
rules.add_perm("cases.view_prisoner_list", works_in_prison & (is_omu_staff | is_key_worker))
rules.add_perm("cases.view_national", is_national_viewer | is_service_admin)
rules.add_perm("cases.manage_service", is_service_admin)
