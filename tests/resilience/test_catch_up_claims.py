"""The catch-up claims a missed job, runs it outside any transaction, then deletes it: two catch-ups side by side run
each job once, and a job's own work is committed as it goes (no lock held for a bulk job's whole run, no email sent
again after a rollback)."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from omic.celery import app
from omic.models import PendingJob
from omic.queueing import MAX_ATTEMPTS, jobs_catch_up, pending_record
from tests.concurrency import race

RUNS: Counter = Counter()
IN_TRANSACTION: list[bool] = []
_lock = threading.Lock()


@app.task(name="tests.catch_up_probe")
def catch_up_probe(number: int) -> None:
    with _lock:
        RUNS[number] += 1
        IN_TRANSACTION.append(connection.in_atomic_block)
    time.sleep(0.05)  # long enough for the two catch-ups to overlap


@pytest.fixture(autouse=True)
def _fresh():
    RUNS.clear()
    IN_TRANSACTION.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_catch_ups_side_by_side_run_each_job_once_outside_a_transaction():
    for number in range(12):
        pending_record("tests.catch_up_probe", [number], {})
    outcomes = race(lambda i: jobs_catch_up(), 2, expected=())
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.run for o in outcomes) == 12
    assert sum(o.failed for o in outcomes) == 0
    assert Counter(range(12)) == RUNS  # each job once
    assert IN_TRANSACTION == [False] * 12  # the job ran outside the catch-up's transaction
    assert not PendingJob.objects.exists()


@pytest.mark.django_db
def test_a_claimed_job_is_left_to_its_catch_up_and_a_stale_claim_is_taken_again():
    import datetime as dt

    from django.utils import timezone

    from omic.queueing import CLAIM_SECONDS

    pending_record("tests.catch_up_probe", [1], {})
    PendingJob.objects.update(claimed_at=timezone.now())  # another catch-up is running it
    assert jobs_catch_up().run == 0
    assert Counter() == RUNS
    PendingJob.objects.update(claimed_at=timezone.now() - dt.timedelta(seconds=CLAIM_SECONDS + 1))  # it died
    assert jobs_catch_up().run == 1
    assert Counter([1]) == RUNS
    assert not PendingJob.objects.exists()


@pytest.mark.django_db
def test_a_failed_job_releases_its_claim_and_counts_its_attempts():
    pending_record("omic.no_such_task", [], {})
    for _ in range(MAX_ATTEMPTS + 1):
        jobs_catch_up()
    row = PendingJob.objects.get()
    assert (row.attempts, row.claimed_at) == (MAX_ATTEMPTS, None)
