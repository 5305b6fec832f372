"""Celery wiring: the periodic schedule, the cron commands, and a real worker against the real broker."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from omic.schedules import SCHEDULES
from omic.services import worker_heartbeat_last

pytestmark = pytest.mark.django_db


def test_setup_periodic_tasks_is_idempotent_and_removes_stale_jobs():
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="Old job", task="omic.gone", interval=every_hour)
    call_command("setup_periodic_tasks", stdout=None)
    call_command("setup_periodic_tasks", stdout=None)
    assert sorted(PeriodicTask.objects.values_list("name", flat=True)) == sorted(s.name for s in SCHEDULES)


def test_every_scheduled_task_is_registered():
    from omic.celery import app

    app.loader.import_default_modules()
    for schedule in SCHEDULES:
        assert schedule.task in app.tasks, schedule.task


def test_record_heartbeat_command(capsys):
    call_command("record_heartbeat")
    assert worker_heartbeat_last() is not None
    assert "Heartbeat recorded" in capsys.readouterr().out


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_job_from_the_broker(settings):
    """The job goes through the real broker to a real worker thread, which records the heartbeat."""
    import time

    from celery.contrib.testing.worker import start_worker
    from celery.result import EagerResult
    from django.core.cache import cache

    from omic.celery import app
    from omic.services import HEARTBEAT_KEY
    from omic.tasks import worker_heartbeat

    cache.delete(HEARTBEAT_KEY)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()  # jobs other tests queued without a worker (their prisoners are gone) would only delay ours
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            result = worker_heartbeat.delay()
            assert not isinstance(result, EagerResult), "the job must go through the broker, not run inline"
            deadline = time.monotonic() + 30
            while worker_heartbeat_last() is None and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert worker_heartbeat_last() is not None
