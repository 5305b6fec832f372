"""Key work permissions (django-rules, autodiscovered). Prison membership is settled by the prison scoping (404)
before any of these is checked; these say which role may do what inside a prison."""

import rules

from cases.rules import is_case_admin, is_homd, is_homs, is_omu_manager, is_omu_staff, is_prison_staff

# The key work dashboard, the per-key-worker figures and the CSV export: heads of OMU.
rules.add_perm("keywork.view_dashboard", is_omu_manager)
# The prison's key work standard (D-14): the HOMS sets it.
rules.add_perm("keywork.change_configuration", is_homs)
# Key worker profiles (status, capacity, auto-allocation) and auto-allocation: heads of OMU.
rules.add_perm("keywork.manage_key_workers", is_homs | is_homd)
rules.add_perm("keywork.auto_allocate", is_homs | is_homd)
# Manual allocation and deallocation: heads of OMU and case administrators.
rules.add_perm("keywork.allocate", is_omu_manager | is_case_admin)
# Lists of who has which key worker, and a prisoner's key work history: OMU staff.
rules.add_perm("keywork.view_allocations", is_omu_staff)
rules.add_perm("keywork.view_key_work", is_prison_staff)

# Recording, POM contacts, progression plans and quality checks (H8).
import keywork.recording_rules  # noqa: E402, F401
