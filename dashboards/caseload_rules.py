"""Who may see the POM caseload, the prisoner profile and search (helper E's pages; ``dashboards.rules`` imports this
module so that django-rules' autodiscovery registers it).

A POM sees their own caseload; the heads of OMU (HOMD, HOMS) open any POM's caseload in their prison (``?pom=``).
Every member of prison staff may search and open a prisoner's profile (the sections inside check their own rules).
"""

import rules

from cases.rules import is_omu_manager, is_pom, is_prison_staff

rules.add_perm("dashboards.view_caseload", is_pom | is_omu_manager)
rules.add_perm("dashboards.view_any_caseload", is_omu_manager)
rules.add_perm("dashboards.search", is_prison_staff)
