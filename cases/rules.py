"""Permission predicates (django-rules, autodiscovered): the one place that says which role may do what.

Prison membership is not a rule here: selectors resolve a prison only among the user's own prisons (404 otherwise,
DECISIONS.md D-17), so by the time a permission is checked the user is known to work in the prison.
"""

import rules

from cases.models import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
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

is_omu_manager = is_homd | is_homs
is_omu_staff = is_pom | is_omu_manager | is_case_admin
is_prison_staff = is_omu_staff | is_key_worker

rules.add_perm("cases.view_prison", is_prison_staff)
rules.add_perm("cases.view_prisoner_list", is_prison_staff)
rules.add_perm("cases.view_prisoner", is_prison_staff)
# The case record on the prisoner's profile (sentence, risk and MAPPA, tier, early allocation, parole, tasks, the
# handover and the case history) is the OMU's; a key worker sees who the person is, who works with them, key work
# and alerts: what key work needs (issue #9).
rules.add_perm("cases.view_case_record", is_omu_staff)
rules.add_perm("cases.view_staff_list", is_omu_manager)
rules.add_perm("cases.view_national", is_national_viewer | is_service_admin)
rules.add_perm("cases.manage_service", is_service_admin)
