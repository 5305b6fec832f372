"""Issue #9: a real worker SIGKILLed in the middle of the fanned-out sweep, inside a prison of several chunks (some
committed); a new worker and a resume finish it from the last committed chunk, and every case is computed, stored
and recorded exactly once."""

import signal

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import AuditEvent
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun, SweepRunPrison
from handover.services.sweep_fanout import sweep_dispatch, sweep_resume
from tests.national.estate import estate_build
from tests.national.processes import stop, wait_for, worker_start, workers_ready

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PRISONS, PER_PRISON = 8, 1500
CHUNK_SIZE = 250  # the workers' HANDOVER_SWEEP_CHUNK_SIZE: six chunks a prison, so the kill lands inside one


@pytest.fixture
def real_celery(settings):
    from omic.celery import app

    cache.clear()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    yield app
    app.control.purge()
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_a_worker_killed_mid_sweep_loses_nothing_and_duplicates_nothing(real_celery, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOVER_SWEEP_CHUNK_SIZE", str(CHUNK_SIZE))  # read by the worker processes' settings
    today = timezone.localdate()
    estate_build(prisons=PRISONS, per_prison=PER_PRISON, today=today)
    cases = PRISONS * PER_PRISON
    first = worker_start("first", log=tmp_path / "first.log")
    second = None
    try:
        assert workers_ready(real_celery, ["first"]), (tmp_path / "first.log").read_text()
        run = sweep_dispatch(today=today)  # committed (no test transaction): the tasks are queued now
        parts = SweepRunPrison.objects.filter(run=run)

        def some_done_one_part_done():  # a prison with a chunk committed and more to go
            return (
                parts.filter(finished_at__isnull=False).count() >= 2
                and parts.filter(finished_at__isnull=True, computed__gt=0).exclude(resume_after="").first()
            )

        going = wait_for(some_done_one_part_done, 90, every=0.01)
        assert going, f"no prison part done after 2 done: {list(parts.values())}"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # the prison the worker was in when it died (the one seen going, unless it finished in the last millisecond)
        (interrupted,) = parts.filter(started_at__isnull=False, finished_at__isnull=True)
        # killed inside the prison: some chunks committed (counted, resume point kept), the rest not
        assert interrupted.resume_after != ""
        assert 0 < interrupted.computed < PER_PRISON
        assert interrupted.computed % CHUNK_SIZE == 0
        resumed_after = interrupted.resume_after
        done_before = parts.filter(finished_at__isnull=False).count()
        assert 2 <= done_before < PRISONS
        assert SweepRun.objects.get(pk=run.pk).finished_at is None

        second = worker_start("second", log=tmp_path / "second.log")
        assert workers_ready(real_celery, ["second"]), (tmp_path / "second.log").read_text()
        # The killed task is not acknowledged: Redis would redeliver it after the visibility timeout. The design's
        # quick path (manage.py handover_sweep --resume) queues the unfinished prisons again now; copies of tasks
        # still queued are skipped or left to the task sweeping them.
        assert sweep_resume(run.pk) >= 1
        finished = wait_for(lambda: SweepRun.objects.filter(pk=run.pk, finished_at__isnull=False).first(), 120)
        assert finished, (tmp_path / "second.log").read_text()[-3000:]
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second)

    assert (finished.prisons_total, finished.prisons_done) == (PRISONS, PRISONS)
    assert (finished.computed, finished.changed, finished.errors) == (cases, cases, 0)
    assert parts.filter(finished_at__isnull=True).count() == 0
    killed = parts.get(pk=interrupted.pk)
    assert killed.computed == PER_PRISON  # the committed chunks plus the rest, each case once
    assert killed.resume_after > resumed_after
    assert killed.attempts >= 2
    assert killed.swept_by == "second@fanout-test"
    assert sum(parts.values_list("computed", flat=True)) == cases
    assert CalculatedHandover.objects.count() == cases
    histories = CalculatedHandoverHistory.objects.filter(trigger="sweep")
    assert histories.count() == cases
    assert histories.values("prisoner_id").distinct().count() == cases
    assert AuditEvent.objects.filter(action="handover_recalculated").count() == cases
