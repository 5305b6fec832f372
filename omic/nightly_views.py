"""The service admin's nightly jobs page: how last night's batch work went, and the next action where it did not.

The handover sweep's runs come from the database (``handover.sweep_selectors``); the other fanned-out jobs report
their progress in the shared cache (``omic.celery.fanout_progress``); the queues are asked of the broker.
"""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.scoping import role_page
from casework.task_jobs import FANOUT_JOB as CASE_TASKS_JOB
from dashboards.tasks import FANOUT_JOB as MEASURES_JOB
from handover.services.sweep_fanout import sweep_resume
from handover.sweep_selectors import sweep_run_get, sweep_run_recent_list, sweep_run_status
from omic.celery import fanout_progress
from omic.queueing import pending_job_count, queue_depths
from omic.schedules import schedule_for
from tiering.tasks import FANOUT_JOB as TIERS_JOB

logger = logging.getLogger(__name__)
PERM = "cases.manage_service"
# (the dispatcher's scheduled task: its name and time come from omic.schedules, the job whose progress it keeps)
FANNED_OUT_JOBS = (
    ("tiering.tier_recalculate_dispatch", TIERS_JOB),
    ("casework.tasks_recompute_dispatch", CASE_TASKS_JOB),
    ("dashboards.measures_snapshot_dispatch", MEASURES_JOB),
)


@role_page(perm=PERM)
def nightly_jobs(request):
    now = timezone.now()
    today = timezone.localdate(now)
    runs = sweep_run_recent_list(now=now)
    jobs = []
    for task, job in FANNED_OUT_JOBS:
        schedule = schedule_for(task)
        progress = fanout_progress(job, today)
        done, total = progress if progress else (None, None)
        jobs.append({"label": schedule.name, "at": schedule.at, "done": done, "total": total})
    context = {
        "sweep_at": schedule_for("handover.sweep").at,
        "resume_at": schedule_for("handover.sweep_resume").at,
        "runs": runs,
        "latest": runs[0] if runs else None,
        "today": today,
        "jobs": jobs,
        "depths": queue_depths(),
        "pending": pending_job_count(),
    }
    return render(request, "omic/nightly_jobs.html", context)


@role_page(perm=PERM)
@require_POST
def sweep_run_resume(request, run_id: int):
    run = sweep_run_get(pk=run_id)
    if run is None:
        raise Http404("No such sweep run")
    if not run.fanout or sweep_run_status(run, now=timezone.now()) != "unfinished":
        day = f"{run.calculated_on:%-d %B %Y}"
        messages.error(request, f"The sweep for {day} is not an unfinished fanned-out sweep: nothing was queued")
        return redirect("nightly_jobs")
    queued = sweep_resume(run.pk)
    logger.info("sweep run %s: %s prisons queued again by %s", run.pk, queued, request.user.get_username())
    messages.success(
        request,
        f"{queued} prison{'s' * (queued != 1)} queued again for the sweep of {run.calculated_on:%-d %B %Y}",
    )
    return redirect("nightly_jobs")
