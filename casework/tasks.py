"""Celery autodiscovers this module; the casework jobs live in one module per area."""

from casework.early_allocation_jobs import *  # noqa: F403
from casework.parole_jobs import *  # noqa: F403
from casework.task_jobs import *  # noqa: F403
