"""The sweep never overwrites a fresher result: a chunk's prisoners are locked from the read to the write, so a
change committed meanwhile is either waited for (and read) or waits for the chunk (PostgreSQL, real transactions)."""

import datetime as dt
import threading
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection, transaction

from cases.models import Prisoner, Sentence
from handover.models import CalculatedHandover
from handover.services.sweep import sweep
from tests.factories.handover import handover_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize("changed", [0, 1, 2], ids=["first of the chunk", "in the middle", "last of the chunk"])
def test_a_change_committed_during_the_sweep_is_not_overwritten(changed):
    first = handover_case(release_in=relativedelta(months=20))
    chunk = [first, *(handover_case(prison=first.prison, release_in=relativedelta(months=20)) for _ in range(2))]
    number = sorted(p.pk for p in chunk)[changed]  # one chunk of three: every one of them must be locked
    new_release = TODAY + relativedelta(months=30)
    locked, done = threading.Event(), threading.Event()

    def change_the_sentence():
        try:
            with transaction.atomic():  # as recalculate() and every service do: the prisoner row first
                Prisoner.objects.select_for_update().filter(pk=number).exists()
                locked.set()
                time.sleep(1.0)  # the sweep starts meanwhile and must wait for this commit
                Sentence.objects.filter(prisoner_id=number).update(
                    automatic_release_date=None, conditional_release_date=new_release
                )
        finally:
            connection.close()
            done.set()

    writer = threading.Thread(target=change_the_sentence)
    writer.start()
    assert locked.wait(10)
    sweep(today=TODAY)
    writer.join(10)
    assert done.is_set()
    stored = CalculatedHandover.objects.get(pk=number)
    assert stored.earliest_release_date == new_release  # the sweep read the committed change, not the old facts
