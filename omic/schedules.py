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


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(name="Worker heartbeat", task="omic.worker_heartbeat", every_seconds=60),
    # key work (manage.py keywork_return_from_leave, keywork_snapshot)
    Schedule(
        name="Key workers back from leave", task="keywork.return_from_leave", crontab={"minute": "30", "hour": "0"}
    ),
    Schedule(name="Key work daily figures", task="keywork.snapshot", crontab={"minute": "15", "hour": "1"}),
    # key work recording (manage.py keywork_overdue_alerts, keywork_quality_sample)
    Schedule(name="Key work overdue alerts", task="keywork.overdue_alerts", crontab={"minute": "45", "hour": "1"}),
    Schedule(
        name="Key work quality sample",
        task="keywork.quality_sample",
        crontab={"minute": "30", "hour": "2", "day_of_month": "1"},
    ),
    # allocation (manage.py allocation_end_transfers)
    Schedule(
        name="End allocations after transfers", task="allocation.end_transfers", crontab={"minute": "0", "hour": "2"}
    ),
    # handover (manage.py handover_sweep, handover_reminders, ldu_pipeline_email)
    Schedule(name="Handover sweep", task="handover.sweep", crontab={"minute": "0", "hour": "3"}),
    Schedule(name="Handover reminders", task="handover.reminders", crontab={"minute": "0", "hour": "6"}),
    # integration (manage.py integration_requeue): inbound events and webhook deliveries whose queued job was lost
    Schedule(name="Integration: queue overdue events and deliveries", task="integration.requeue_due", every_seconds=60),
    Schedule(
        name="LDU handover pipeline",
        task="handover.ldu_pipeline",
        crontab={"minute": "4", "hour": "9", "day_of_month": "1"},
    ),
    # early allocation (manage.py early_allocation_reminders): the reference's 04:30 suitability email
    Schedule(
        name="Early allocation reminders",
        task="casework.early_allocation_reminders",
        crontab={"minute": "30", "hour": "4"},
    ),
    # case tasks (manage.py tasks_recompute): after the handover sweep, whose handover dates the tasks read
    Schedule(name="Case tasks recompute", task="casework.tasks_recompute", crontab={"minute": "45", "hour": "3"}),
    # oversight (manage.py oversight_sample)
    Schedule(
        name="Oversight sample",
        task="oversight.draw_sample",
        crontab={"minute": "45", "hour": "2", "day_of_month": "1"},
    ),
    # dashboards (manage.py measures_snapshot): after the handover sweep, so the day's handovers are counted
    Schedule(name="OMiC measures snapshot", task="dashboards.measures_snapshot", crontab={"minute": "30", "hour": "4"}),
)
