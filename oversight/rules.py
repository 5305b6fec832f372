"""Who may see and do management oversight (django-rules, autodiscovered).

- The HOMD audits a sample of each POM's cases each month, adds cases by hand, sets actions for the POM and sets the
  prison's sample size (omic-requirements.md WF-19: the HOMD oversees quality and gives assurance to the Governor).
- The HOMS reads the prison's oversight results too.
- A POM sees the outcome of the audits of their own cases and marks their actions done; never other POMs' audits
  (the selectors scope every read to the POM's own audits).
"""

import rules

from cases.rules import is_homd, is_omu_manager, is_pom

rules.add_perm("oversight.view_oversight", is_pom | is_omu_manager)
rules.add_perm("oversight.view_prison_oversight", is_omu_manager)
rules.add_perm("oversight.audit", is_homd)
rules.add_perm("oversight.view_own_oversight", is_pom)
