"""Who may see and update case tasks and their timescales (django-rules; loaded by ``casework.rules``).

- A POM sees the tasks of their own cases; the OMU managers (HOMD, HOMS) see the whole prison's, filter by POM, kind
  and state, and see the overdue counts by task and by POM.
- The OMU (POMs, managers, case administrators) reads a case's tasks.
- A case's task is marked done or not needed by its allocated POM (primary or co-working) or an OMU manager.
- Only a service admin changes the timescales (DECISIONS.md D-12).
"""

import rules

from cases.rules import is_omu_manager, is_omu_staff, is_pom, is_service_admin


@rules.predicate
def is_case_pom(user, prisoner) -> bool:
    """The user is the case's active primary or co-working POM. ``prisoner`` is a cases.Prisoner."""
    if prisoner is None or not hasattr(prisoner, "prison_number"):
        return False
    from cases.models import PomAllocation

    return PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True, pom__user=user).exists()


rules.add_perm("casework.view_tasks", is_pom | is_omu_manager)
rules.add_perm("casework.view_prison_tasks", is_omu_manager)
rules.add_perm("casework.view_case_tasks", is_omu_staff)
rules.add_perm("casework.update_tasks", is_pom | is_omu_manager)
rules.add_perm("casework.update_case_task", is_omu_manager | is_case_pom)
rules.add_perm("casework.change_task_timescales", is_service_admin)
