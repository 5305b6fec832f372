"""Who may see and make early allocation assessments (django-rules; loaded by ``casework.rules``).

- The OMU (POMs, the HOMD and HOMS, case administrators) reads a case's early allocation page and its summary.
- The case's allocated POM (primary or co-working) assesses the case and records the community decision; the HOMD
  may do both too (manage-pom-cases-reference.md 1.1: the SPO can do all a POM can).
- Only the HOMD approves a discretionary referral (omic-requirements.md 2.5).
- The list of assessments and pending decisions is the OMU managers' (HOMD, HOMS).
"""

import rules

from cases.rules import is_homd, is_omu_manager, is_omu_staff, is_pom
from handover.rules import is_allocated_pom

rules.add_perm("casework.view_early_allocation", is_omu_staff)
rules.add_perm("casework.view_early_allocation_list", is_omu_manager)
rules.add_perm("casework.assess_early_allocation", is_pom | is_homd)
rules.add_perm("casework.assess_case_early_allocation", is_homd | (is_pom & is_allocated_pom))
rules.add_perm("casework.approve_early_allocation", is_homd)
