"""Casework permissions (django-rules, autodiscovered). One module per area, each adding its own section here."""

import casework.early_allocation_rules  # noqa: F401  (helper A: early allocation)
import casework.parole_rules  # noqa: F401  (helper B: parole reviews and recall placements)
import casework.task_rules  # noqa: F401  (helper C: case tasks and timescales)
