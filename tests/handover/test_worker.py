"""A real Celery worker against Redis: an on-change recalculation and the sweep, with the results in PostgreSQL."""

import time

import pytest
from dateutil.relativedelta import relativedelta

from handover.models import CalculatedHandover, SweepRun
from tests.factories.handover import handover_case

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_for(check, seconds=30):
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.1)
    return check()


@pytest.fixture
def real_worker(settings):
    from celery.contrib.testing.worker import start_worker
    from django.core.cache import cache

    from omic.celery import app

    cache.clear()  # no stale "already queued" flags from an earlier run
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()  # jobs other tests queued without a worker (their prisoners are gone) would only delay ours
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_a_sentence_change_is_recalculated_by_the_worker_after_the_commit(real_worker):
    from celery.result import EagerResult

    from handover.tasks import handover_recalculate

    prisoner = handover_case(release_in=relativedelta(months=18))  # each save commits: the signals queue a job
    assert _wait_for(lambda: CalculatedHandover.objects.filter(pk=prisoner.pk).exists())
    sentence = prisoner.sentence
    sentence.conditional_release_date = sentence.conditional_release_date + relativedelta(months=6)
    sentence.save()
    assert _wait_for(
        lambda: (
            CalculatedHandover.objects.get(pk=prisoner.pk).earliest_release_date == sentence.conditional_release_date
        )
    )
    assert prisoner.handover_history.count() == 2
    result = handover_recalculate.delay(prisoner.pk, "test")
    assert not isinstance(result, EagerResult), "the job must go through the broker, not run inline"


def test_the_sweep_runs_on_the_worker(real_worker):
    from handover.tasks import handover_sweep

    numbers = [handover_case(release_in=relativedelta(months=m)).pk for m in (12, 24)]
    handover_sweep.delay()
    assert _wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists())
    assert CalculatedHandover.objects.filter(pk__in=numbers).count() == 2
