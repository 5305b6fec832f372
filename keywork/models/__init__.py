"""Key work records: prison configuration, key workers, allocations, sessions, KPI snapshots (config, staff,
allocations, sessions, kpis) and the recording side: POM contacts, progression plans and quality checks (recording)."""

from keywork.models.allocations import *  # noqa: F403
from keywork.models.config import *  # noqa: F403
from keywork.models.kpis import *  # noqa: F403
from keywork.models.recording import *  # noqa: F403
from keywork.models.sessions import *  # noqa: F403
from keywork.models.staff import *  # noqa: F403
