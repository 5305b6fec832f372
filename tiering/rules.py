"""Who may see and set a case's tier (django-rules, autodiscovered)."""

import rules

from cases.rules import is_case_admin, is_homd, is_homs, is_omu_staff

rules.add_perm("tiering.view_tier", is_omu_staff)
# D-10: the tier is entered by hand when its inputs are not known; HOMD, HOMS and case admins do that.
rules.add_perm("tiering.set_tier_by_hand", is_homd | is_homs | is_case_admin)
