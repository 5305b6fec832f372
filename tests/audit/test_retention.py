"""Retention: audit rows older than AUDIT_RETENTION_DAYS are purged in batches; the boundary day is kept."""

import datetime as dt
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.audit import audit_purge, audit_purge_cutoff
from cases.models import AuditEvent
from omic.schedules import SCHEDULES

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 7, 15)  # British Summer Time: the London midnight is 23:00 UTC the day before


def _rows_at(*moments: dt.datetime) -> None:
    """Rows stamped at these moments (the clock is moved: created_at is set on insert and never changed)."""
    for i, moment in enumerate(moments):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            AuditEvent.objects.create(actor_label="test", action="updated", object_type="cases.Prisoner",
                                      object_id=str(i))  # fmt: skip
    assert sorted(AuditEvent.objects.values_list("created_at", flat=True)) == sorted(moments)


def test_the_default_retention_is_seven_years():
    import os

    from omic.settings import base

    if "AUDIT_RETENTION_DAYS" in os.environ:
        pytest.skip("AUDIT_RETENTION_DAYS is set in this environment")
    assert base.AUDIT_RETENTION_DAYS == 2557  # 7 years of days


def test_the_boundary_day_is_kept_and_the_day_before_is_purged(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    boundary = TODAY - dt.timedelta(days=30)
    first_kept = dt.datetime.combine(boundary, dt.time.min, tzinfo=LONDON)
    assert audit_purge_cutoff(today=TODAY, retention_days=30) == first_kept
    last_purged = first_kept - dt.timedelta(microseconds=1)
    _rows_at(last_purged, first_kept, first_kept + dt.timedelta(hours=23, minutes=59), timezone.now())
    assert audit_purge(today=TODAY) == 1
    kept = sorted(AuditEvent.objects.values_list("created_at", flat=True))
    assert kept[0] == first_kept
    assert len(kept) == 3
    assert audit_purge(today=TODAY) == 0  # idempotent


def test_the_purge_goes_in_batches_and_reports_progress():
    old = dt.datetime(2010, 1, 1, 12, tzinfo=LONDON)
    _rows_at(*[old + dt.timedelta(minutes=i) for i in range(7)], timezone.now())
    batches = []
    assert audit_purge(today=TODAY, retention_days=2557, batch_size=3, progress=batches.append) == 7
    assert batches == [3, 3, 1]
    assert AuditEvent.objects.count() == 1


def test_the_command_purges_and_prints_what_it_did(settings):
    settings.AUDIT_RETENTION_DAYS = 10
    _rows_at(timezone.now() - dt.timedelta(days=40), timezone.now())
    out = StringIO()
    call_command("audit_purge", "--batch-size", "1", stdout=out, stderr=StringIO())
    assert "Audit events deleted: 1" in out.getvalue()
    assert AuditEvent.objects.count() == 1
    out = StringIO()
    call_command("audit_purge", "--days", "100000", "--no-progress", stdout=out)
    assert "Audit events deleted: 0" in out.getvalue()


def test_the_nightly_task_is_scheduled_and_purges(settings):
    from cases.tasks import audit_purge as task

    settings.AUDIT_RETENTION_DAYS = 10
    _rows_at(timezone.now() - dt.timedelta(days=40))
    assert task.apply().get() == 1  # run here, whatever the broker
    (schedule,) = [s for s in SCHEDULES if s.task == "cases.audit_purge"]
    assert schedule.crontab
