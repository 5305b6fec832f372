"""Who may see and manage POM staff (MPC: the SPO/HOMD manages staff; see manage-pom-cases-reference.md 1.1).

Registered when the staff pages are imported (allocation.staff_urls -> staff_views). OMU staff (POMs, heads of OMU
and case administrators) may read the POM list and profiles; only the heads of OMU (HOMD, HOMS) may edit a POM,
add one or reallocate their cases. Key workers see neither.
"""

import rules

from cases.rules import is_omu_manager, is_omu_staff

if not rules.perm_exists("allocation.view_pom_staff"):
    rules.add_perm("allocation.view_pom_staff", is_omu_staff)
if not rules.perm_exists("allocation.manage_pom_staff"):
    rules.add_perm("allocation.manage_pom_staff", is_omu_manager)
