"""The handover sweep fanned out by prison: one task per prison, each prison done and counted once."""

import contextlib
import datetime as dt
import zlib

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from cases.models import AuditEvent, Prisoner
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun, SweepRunPrison
from handover.services import sweep as sweep_module
from handover.services.sweep import SweepLocked, sweep
from handover.services.sweep_fanout import (
    PRISON_LOCK_NAMESPACE,
    prison_lock,
    sweep_dispatch,
    sweep_prison,
    sweep_resume,
)
from omic.celery import app
from omic.schedules import SCHEDULES, queue_for
from tests.national.estate import estate_build

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager(settings):
    """The tasks run inline here, on the in-memory broker as on Redis (the real workers: test_worker_killed.py)."""
    before = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@contextlib.contextmanager
def _held_by_another_session(advisory_key: int, lock):
    """The lock held by someone else: another PostgreSQL session (a session's advisory locks are re-entrant for
    itself), or on SQLite the cache lock, which is not."""
    if connection.vendor != "postgresql":
        with lock:
            yield
        return
    import psycopg

    settings_dict = connection.settings_dict
    other = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )
    try:
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key]).fetchone()[0]
        yield
    finally:
        other.close()


def test_the_dispatch_sweeps_every_prison_once_and_counts_every_case(django_capture_on_commit_callbacks):
    codes = estate_build(prisons=3, per_prison=7, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery: the prisons' tasks run at the commit
        run = sweep_dispatch(today=TODAY)
    run.refresh_from_db()
    assert run.fanout
    assert run.finished_at is not None
    assert (run.prisons_total, run.prisons_done) == (3, 3)
    assert (run.computed, run.changed, run.errors) == (21, 21, 0)
    parts = SweepRunPrison.objects.filter(run=run)
    assert sorted(parts.values_list("prison_id", flat=True)) == codes
    assert all(p.finished_at and p.attempts == 1 and (p.computed, p.changed) == (7, 7) for p in parts)
    assert CalculatedHandover.objects.count() == 21
    assert CalculatedHandoverHistory.objects.filter(trigger="sweep").count() == 21
    assert AuditEvent.objects.filter(action="handover_recalculated").count() == 21


def test_the_fanned_out_sweep_stores_what_the_in_process_sweep_stores(django_capture_on_commit_callbacks):
    estate_build(prisons=2, per_prison=6, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        fanned = sweep_dispatch(today=TODAY)
    stored = {h.pk: (h.handover_date, h.responsibility) for h in CalculatedHandover.objects.all()}
    in_process = sweep(today=TODAY)
    assert (in_process.computed, in_process.changed) == (12, 0)  # nothing left to change
    assert stored == {h.pk: (h.handover_date, h.responsibility) for h in CalculatedHandover.objects.all()}
    assert SweepRun.objects.get(pk=fanned.pk).computed == 12


def test_a_second_dispatch_for_the_day_resumes_the_unfinished_run_and_creates_no_second_one(
    django_capture_on_commit_callbacks,
):
    estate_build(prisons=2, per_prison=2, today=TODAY)
    first = sweep_dispatch(today=TODAY)  # inside the test's transaction: the tasks are never queued
    assert first.prisons_done == 0
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second unfinished run
        SweepRun.objects.create(started_at=first.started_at, calculated_on=TODAY, fanout=True, prisons_total=2)
    with django_capture_on_commit_callbacks(execute=True):  # the unfinished prisons are queued again (eager here)
        again = sweep_dispatch(today=TODAY)
    assert again.pk == first.pk
    assert SweepRun.objects.count() == 1
    again.refresh_from_db()
    assert (again.prisons_done, again.computed, again.finished_at is not None) == (2, 4, True)
    assert sweep_dispatch(today=TODAY + dt.timedelta(days=1)).pk != first.pk  # another day is another run


def test_a_dispatch_is_refused_while_an_in_process_sweep_holds_the_lock():
    estate_build(prisons=1, per_prison=1, today=TODAY)
    with (
        _held_by_another_session(sweep_module.ADVISORY_LOCK_KEY, sweep_module.sweep_lock()),
        pytest.raises(SweepLocked),
    ):
        sweep_dispatch(today=TODAY)
    assert SweepRun.objects.count() == 0


def test_a_prison_done_for_the_run_is_skipped_and_never_counted_twice():
    estate_build(prisons=2, per_prison=3, today=TODAY)
    run = sweep_dispatch(today=TODAY)
    assert sweep_prison(run.pk, "QNA", today=TODAY) == "done"
    assert sweep_prison(run.pk, "QNA", today=TODAY) == "skipped"  # a redelivered copy
    run.refresh_from_db()
    assert (run.prisons_done, run.computed, run.finished_at) == (1, 3, None)
    assert sweep_prison(run.pk, "QNB", today=TODAY) == "done"
    run.refresh_from_db()
    assert (run.prisons_done, run.computed, run.changed) == (2, 6, 6)
    assert run.finished_at is not None
    assert CalculatedHandoverHistory.objects.count() == 6


def test_a_prison_another_task_is_sweeping_is_left_to_it():
    estate_build(prisons=1, per_prison=2, today=TODAY)
    run = sweep_dispatch(today=TODAY)
    with _held_by_another_session(PRISON_LOCK_NAMESPACE | zlib.crc32(b"QNA"), prison_lock("QNA")):
        assert sweep_prison(run.pk, "QNA", today=TODAY) == "locked"
    assert SweepRunPrison.objects.get(run=run).finished_at is None
    assert CalculatedHandover.objects.count() == 0


def test_a_task_that_died_mid_prison_goes_on_after_its_last_committed_chunk(monkeypatch):
    estate_build(prisons=1, per_prison=5, today=TODAY)
    run = sweep_dispatch(today=TODAY)
    real_chunk, calls = sweep_module.sweep_chunk, []

    def dies_on_the_third_chunk(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 3:
            real_chunk(*args, **kwargs)  # its writes are made, then the worker "dies" before the commit
            raise SystemExit("killed")
        return real_chunk(*args, **kwargs)

    monkeypatch.setattr("handover.services.sweep_fanout.sweep_chunk", dies_on_the_third_chunk)
    with pytest.raises(SystemExit):
        sweep_prison(run.pk, "QNA", today=TODAY, chunk_size=2)
    part = SweepRunPrison.objects.get(run=run)
    # chunks Q0000-Q0001 and Q0002-Q0003 committed; the third (Q0004) rolled back with the "dead" task
    assert (part.computed, part.resume_after, part.finished_at) == (4, "Q0003AA", None)
    assert CalculatedHandover.objects.count() == 4
    assert sweep_resume(run.pk) == 1
    monkeypatch.setattr("handover.services.sweep_fanout.sweep_chunk", real_chunk)
    assert sweep_prison(run.pk, "QNA", today=TODAY, chunk_size=2) == "done"
    run.refresh_from_db()
    part.refresh_from_db()
    assert (run.computed, run.changed, run.prisons_done) == (5, 5, 1)
    assert run.finished_at is not None
    assert part.attempts == 2
    assert CalculatedHandoverHistory.objects.count() == 5
    assert sorted(CalculatedHandoverHistory.objects.values_list("prisoner_id", flat=True)) == sorted(
        CalculatedHandover.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)  # the dispatch commits: the eager tasks run, as in the quick start
def test_the_command_fans_out_and_waits(capsys):
    estate_build(prisons=2, per_prison=4, today=TODAY)
    call_command("handover_sweep", "--fan-out", "--no-progress", "--timeout", "60")
    assert "8 computed, 8 changed, 0 errors" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No fanned-out sweep"):
        call_command("handover_sweep", "--resume", "--no-progress")


@pytest.mark.django_db(transaction=True)
def test_a_second_fan_out_by_the_command_resumes_the_unfinished_run():
    from django.utils import timezone

    codes = estate_build(prisons=2, per_prison=1, today=TODAY)
    run = SweepRun.objects.create(  # dispatched, then every queued task lost
        started_at=timezone.now(), calculated_on=timezone.localdate(), fanout=True, prisons_total=2
    )
    SweepRunPrison.objects.bulk_create([SweepRunPrison(run=run, prison_id=code) for code in codes])
    call_command("handover_sweep", "--fan-out", "--no-progress", "--timeout", "60")  # no second run: this one
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.prisons_done == 2
    assert SweepRun.objects.count() == 1
    with pytest.raises(CommandError, match="unfinished"):  # nothing left to resume
        call_command("handover_sweep", "--resume", "--no-progress", "--timeout", "60")


def test_batch_jobs_go_to_recalc_emails_to_notify_and_integration_to_its_own_queue():
    assert queue_for("handover.sweep_prison") == "recalc"
    assert queue_for("handover.sweep") == "recalc"
    assert queue_for("tiering.tier_recalculate_all") == "recalc"
    assert queue_for("casework.tasks_recompute") == "recalc"
    assert queue_for("dashboards.measures_snapshot") == "recalc"
    assert queue_for("allocation.pom_email_send") == "notify"
    assert queue_for("handover.reminders") == "notify"
    assert queue_for("integration.webhook_deliver") == "integration"
    assert queue_for("omic.worker_heartbeat") == "default"
    assert {q.name for q in app.conf.task_queues} == {"default", "recalc", "integration", "notify"}
    router = app.amqp.router
    for schedule in SCHEDULES:  # beat's messages go where .delay() would send them
        route = router.route({}, schedule.task)
        assert route["queue"].name == schedule.queue, schedule.task


@pytest.mark.parametrize(
    ("dispatcher", "job"),
    [
        ("tiering.tasks.tier_recalculate_dispatch", "tiering.tier_recalculate_all"),
        ("casework.task_jobs.tasks_recompute_dispatch", "casework.tasks_recompute"),
        ("dashboards.tasks.measures_snapshot_dispatch", "dashboards.measures_snapshot"),
    ],
)
def test_the_other_batch_jobs_fan_out_once_a_day(dispatcher, job):
    from importlib import import_module

    from django.utils import timezone

    from omic.celery import fanout_progress

    module, name = dispatcher.rsplit(".", 1)
    task = getattr(import_module(module), name)
    estate_build(prisons=3, per_prison=2, today=TODAY)
    assert fanout_progress(job, timezone.localdate()) is None
    assert task() == {"prisons": 3}  # eager: each prison's task ran inline
    assert fanout_progress(job, timezone.localdate()) == (3, 3)
    assert task() == {"locked": True}  # a second beat's copy queues nothing
    assert fanout_progress(job, timezone.localdate()) == (3, 3)


def test_the_fanned_out_case_task_recompute_writes_what_the_bulk_run_writes():
    from django.utils import timezone

    from casework.models import CaseTask
    from casework.task_jobs import tasks_recompute_dispatch
    from casework.task_recompute import tasks_recompute_all

    estate_build(prisons=2, per_prison=5, today=timezone.localdate())
    tasks_recompute_dispatch()
    fanned = sorted(CaseTask.objects.values_list("prisoner_id", "kind", "occurrence", "due_date", "status"))
    assert {number for number, *_ in fanned} == set(Prisoner.objects.values_list("pk", flat=True))  # every case
    again = tasks_recompute_all(today=timezone.localdate())
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0)
    assert fanned == sorted(CaseTask.objects.values_list("prisoner_id", "kind", "occurrence", "due_date", "status"))


def test_the_resume_task_queues_only_the_unfinished_prisons_of_todays_run(django_capture_on_commit_callbacks):
    from django.utils import timezone

    from handover.tasks import handover_sweep_resume

    today = timezone.localdate()
    estate_build(prisons=2, per_prison=2, today=today)
    assert handover_sweep_resume() == {"run": None, "queued": 0}
    run = sweep_dispatch(today=today)  # never queued (the test's transaction)
    assert sweep_prison(run.pk, run.prisons.order_by("prison_id").first().prison_id, today=today) == "done"
    with django_capture_on_commit_callbacks(execute=True):
        assert handover_sweep_resume() == {"run": run.pk, "queued": 1}
    run.refresh_from_db()
    assert (run.prisons_done, run.computed, run.finished_at is not None) == (2, 4, True)
    assert handover_sweep_resume() == {"run": None, "queued": 0}  # finished: nothing to do


def test_a_prison_task_the_broker_refuses_is_kept_for_the_catch_up(django_capture_on_commit_callbacks):
    from omic.models import PendingJob
    from omic.queueing import jobs_catch_up
    from tests.resilience.broker import CLOSED_PORT, broker_at

    estate_build(prisons=2, per_prison=2, today=TODAY)
    with broker_at(CLOSED_PORT), django_capture_on_commit_callbacks(execute=True):
        run = sweep_dispatch(today=TODAY)
    assert PendingJob.objects.filter(task="handover.sweep_prison").count() == 2
    assert jobs_catch_up().run == 2
    run.refresh_from_db()
    assert (run.prisons_done, run.computed, run.finished_at is not None) == (2, 4, True)


def test_a_prison_task_is_retried_on_a_database_error():
    from django.db import InterfaceError, OperationalError

    from handover.tasks import handover_sweep_prison

    assert set(handover_sweep_prison.autoretry_for) == {OperationalError, InterfaceError}
    assert handover_sweep_prison.max_retries == 3
    assert handover_sweep_prison.retry_backoff
    assert any(s.task == "handover.sweep_resume" and s.crontab == {"minute": "30", "hour": "3"} for s in SCHEDULES)


def test_a_prison_whose_job_reported_a_failure_is_not_counted_done(monkeypatch):
    from django.utils import timezone

    from dashboards import national_services
    from dashboards.tasks import measures_snapshot_dispatch
    from omic.celery import fanout_progress

    codes = estate_build(prisons=3, per_prison=1, today=TODAY)
    real = national_services.prison_measures

    def broken_for_one(**kwargs):
        if kwargs["prison"].code == codes[1]:
            raise ValueError("bad data")
        return real(**kwargs)

    monkeypatch.setattr(national_services, "prison_measures", broken_for_one)
    assert measures_snapshot_dispatch() == {"prisons": 3}
    assert fanout_progress("dashboards.measures_snapshot", timezone.localdate()) == (2, 3)
