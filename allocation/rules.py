"""Who may see and make allocations (MPC: the SPO/HOMD allocates; manage-pom-cases-reference.md 1.1).

OMU staff (POMs, heads of OMU, case administrators) may read the allocation lists and a case's timeline. The heads
of OMU (HOMD, HOMS) allocate, reallocate, deallocate and manage co-working POMs; they and case administrators may
fill in a case's missing details by hand. Key workers see none of it.
"""

import rules

from cases.rules import is_case_admin, is_omu_manager, is_omu_staff

rules.add_perm("allocation.view_allocations", is_omu_staff)
rules.add_perm("allocation.allocate", is_omu_manager)
rules.add_perm("allocation.fill_missing_details", is_omu_manager | is_case_admin)
