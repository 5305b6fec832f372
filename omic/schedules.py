"""Every periodic job, reviewed in code. `manage.py setup_periodic_tasks` writes these into django-celery-beat.

Each job's service also has a management command, so a single machine can run it from cron without beat.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: dict | None = None  # minute, hour, day_of_week, day_of_month, month_of_year (Europe/London)
    queue: str = "default"


SCHEDULES: tuple[Schedule, ...] = (Schedule(name="Worker heartbeat", task="omic.worker_heartbeat", every_seconds=60),)
