"""Who may see the HOMD dashboard and the national OMiC measures (helper F's pages; ``dashboards.rules`` imports this
module so that django-rules' autodiscovery registers it).

The unit dashboard is for the heads of OMU (HOMD and HOMS) of the prison; the comparison of prisons is for national
and regional viewers and the service admins (aggregates only, DECISIONS.md D-17).
"""

import rules

from cases.rules import is_national_viewer, is_omu_manager, is_service_admin

rules.add_perm("dashboards.view_homd_dashboard", is_omu_manager)
rules.add_perm("dashboards.view_national_measures", is_national_viewer | is_service_admin)
