"""Who may see and change handover work (django-rules, autodiscovered).

- A POM sees the handover lists of their own cases and sets their own reminder emails.
- The HOMD and HOMS (the OMU managers) see the whole prison's lists, each POM's lists and the prison's alerts.
- The checklist of a case is ticked by its allocated POM (primary or co-working) or an OMU manager; the rest of the
  OMU can read it.
- Only the HOMD overrides responsibility to the COM and removes an override (DECISIONS.md D-06).
- The community pipeline: OMU managers see the named cases of their own prisons; national viewers see the counts
  per delivery unit and region only (DECISIONS.md D-17: aggregates).
- The policy preview: service admins (any prison, or everywhere) and HOMDs (their own prisons).
"""

import rules

from cases.rules import is_homd, is_national_viewer, is_omu_manager, is_omu_staff, is_pom, is_service_admin


@rules.predicate
def is_allocated_pom(user, prisoner) -> bool:
    """The user is the case's active primary or co-working POM. ``prisoner`` is a cases.Prisoner."""
    if prisoner is None or not hasattr(prisoner, "prison_number"):
        return False
    from handover.selectors import pom_is_allocated

    return pom_is_allocated(user=user, prisoner=prisoner)


rules.add_perm("handover.view_handovers", is_pom | is_omu_manager)
rules.add_perm("handover.view_own_handovers", is_pom)
rules.add_perm("handover.view_prison_handovers", is_omu_manager)
rules.add_perm("handover.view_handover", is_omu_staff)
rules.add_perm("handover.change_checklist", is_omu_manager | is_allocated_pom)
rules.add_perm("handover.override_responsibility", is_homd)
rules.add_perm("handover.view_alerts", is_omu_manager)
rules.add_perm("handover.view_community_pipeline", is_omu_manager | is_national_viewer)
rules.add_perm("handover.view_community_pipeline_cases", is_omu_manager)
rules.add_perm("handover.preview_policy", is_service_admin | is_homd)
rules.add_perm("handover.change_email_preferences", is_pom)
