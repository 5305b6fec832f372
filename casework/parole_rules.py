"""Who may see and record parole reviews and recall placements (django-rules; loaded by ``casework.rules``).

- The OMU (POMs, the HOMD and HOMS, case administrators) reads a case's parole page and its recall placement.
- The approaching-parole list: a POM sees their own cases, the OMU managers the whole prison (filter by POM).
- A parole review is recorded or updated (for example its outcome) by the case's allocated POM or an OMU manager
  (manage-pom-cases-reference.md 1.2: the POM records parole outcomes).
- Only the HOMD decides a recall's placement, and may choose other than the suggestion with a reason (RC-3).
"""

import rules

from cases.rules import is_homd, is_omu_manager, is_omu_staff, is_pom
from handover.rules import is_allocated_pom

rules.add_perm("casework.view_parole", is_omu_staff)
rules.add_perm("casework.view_parole_list", is_pom | is_omu_manager)
rules.add_perm("casework.view_prison_parole_list", is_omu_manager)
rules.add_perm("casework.record_parole", is_omu_manager | is_pom)
rules.add_perm("casework.record_case_parole", is_omu_manager | is_allocated_pom)
rules.add_perm("casework.view_recall_placement", is_omu_staff)
rules.add_perm("casework.decide_recall_placement", is_homd)
