"""Every periodic job, reviewed in code. `manage.py setup_periodic_tasks` writes these into django-celery-beat.

Each job's service also has a management command, so a single machine can run it from cron without beat.
"""

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase

from omic.celery import TASK_ROUTES


def queue_for(task: str) -> str:
    """The queue ``omic.celery.TASK_ROUTES`` sends this task to (the first matching pattern), else ``default``."""
    for pattern, route in TASK_ROUTES.items():
        if fnmatchcase(task, pattern):
            return route["queue"]
    return "default"


@dataclass(frozen=True)
class Schedule:
    """A periodic job. ``queue`` defaults to the task's route, so beat's messages go where ``.delay()`` sends them.

    Exactly one beat process runs (``make beat``; one ``beat`` service in docker-compose.yml). If two ran by
    mistake, every job would be sent twice: the batch dispatchers (handover.sweep, tiering.tier_recalculate_dispatch,
    casework.tasks_recompute_dispatch, dashboards.measures_snapshot_dispatch) hold a lock or refuse a second run for
    the same day, and every other job is idempotent. Tiers change when their inputs change (on the case's tier page or
    an import), and again nightly: the v3 model reads the date (a release within a year), so a tier can change with
    no new input.
    """

    name: str
    task: str
    every_seconds: int | None = None
    crontab: dict | None = None  # minute, hour, day_of_week, day_of_month, month_of_year (Europe/London)
    queue: str = ""

    def __post_init__(self):
        if not self.queue:
            object.__setattr__(self, "queue", queue_for(self.task))

    @property
    def at(self) -> dt.time:
        """The time of day (Europe/London) of a job run at one fixed minute and hour; ValueError for any other."""
        minute, hour = (self.crontab or {}).get("minute", ""), (self.crontab or {}).get("hour", "")
        if not (minute.isdigit() and hour.isdigit()):
            raise ValueError(f"{self.task} does not run at one time of day")
        return dt.time(int(hour), int(minute))


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(name="Worker heartbeat", task="omic.worker_heartbeat", every_seconds=60),
    # jobs the broker refused while it was down (manage.py jobs_catch_up)
    Schedule(name="Catch up jobs missed while the broker was down", task="omic.jobs_catch_up", every_seconds=300),
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
    # tiering (manage.py tier_recalculate): fanned out by prison; before the case tasks, which read the tier
    Schedule(
        name="Tier recalculation", task="tiering.tier_recalculate_dispatch", crontab={"minute": "15", "hour": "3"}
    ),
    # the fanned-out run's prisons whose task was lost or failed for good, queued again (a no-op once it finished)
    Schedule(
        name="Handover sweep: resume unfinished", task="handover.sweep_resume", crontab={"minute": "30", "hour": "3"}
    ),
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
    # fanned out by prison (one casework.tasks_recompute_prison each); manage.py tasks_recompute runs it in process
    Schedule(
        name="Case tasks recompute", task="casework.tasks_recompute_dispatch", crontab={"minute": "45", "hour": "3"}
    ),
    # oversight (manage.py oversight_sample)
    Schedule(
        name="Oversight sample",
        task="oversight.draw_sample",
        crontab={"minute": "45", "hour": "2", "day_of_month": "1"},
    ),
    # dashboards (manage.py measures_snapshot): after the handover sweep, so the day's handovers are counted;
    # fanned out by prison (one dashboards.measures_snapshot_prison each)
    Schedule(
        name="OMiC measures snapshot",
        task="dashboards.measures_snapshot_dispatch",
        crontab={"minute": "30", "hour": "4"},
    ),
    # audit retention (manage.py audit_purge): rows older than AUDIT_RETENTION_DAYS
    Schedule(name="Audit retention purge", task="cases.audit_purge", crontab={"minute": "15", "hour": "5"}),
    # expired sessions and sign-in records older than SIGN_IN_LOG_RETENTION_DAYS (manage.py sign_in_records_tidy)
    Schedule(name="Sign-in records tidy", task="omic.sign_in_records_tidy", crontab={"minute": "30", "hour": "5"}),
)


def schedule_for(task: str) -> Schedule:
    """The schedule of ``task``; KeyError if it has none (a page naming a job's time must name a scheduled job)."""
    for schedule in SCHEDULES:
        if schedule.task == task:
            return schedule
    raise KeyError(task)
