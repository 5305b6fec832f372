"""The nightly tidy of expired sessions and old sign-in records (omic.services.sign_in_records_tidy)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from omic.schedules import SCHEDULES
from omic.services import sign_in_records_tidy
from omic.tasks import sign_in_records_tidy as sign_in_records_tidy_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 26, 5, 30, tzinfo=dt.UTC)


def _session(key: str, expires: dt.datetime) -> None:
    Session.objects.create(session_key=key, session_data="e30:1", expire_date=expires)


def _sign_in(username: str, at: dt.datetime) -> None:
    log = AccessLog.objects.create(username=username, ip_address="10.0.0.1", user_agent="test")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=at)  # attempt_time is auto_now_add


def _failed_sign_in(username: str, at: dt.datetime) -> None:
    log = AccessFailureLog.objects.create(username=username, ip_address="10.0.0.1", user_agent="test")
    AccessFailureLog.objects.filter(pk=log.pk).update(attempt_time=at)


def test_expired_sessions_go_and_live_ones_stay():
    _session("expired-a-second-ago", NOW - dt.timedelta(seconds=1))
    _session("expired-last-year", NOW - dt.timedelta(days=400))
    _session("still-live", NOW + dt.timedelta(minutes=20))

    done = sign_in_records_tidy(now=NOW)

    assert done.expired_sessions == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["still-live"]


def test_sign_in_records_older_than_the_retention_period_go(settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 30
    cutoff = NOW - dt.timedelta(days=30)
    _sign_in("old", cutoff - dt.timedelta(seconds=1))
    _sign_in("boundary", cutoff)
    _sign_in("recent", NOW - dt.timedelta(days=1))
    _failed_sign_in("old", cutoff - dt.timedelta(days=5))
    _failed_sign_in("recent", NOW - dt.timedelta(days=2))
    AccessAttempt.objects.create(username="locked", ip_address="10.0.0.2", user_agent="test", failures_since_start=5)

    done = sign_in_records_tidy(now=NOW)

    assert (done.sign_ins, done.failed_sign_ins) == (1, 1)
    assert sorted(AccessLog.objects.values_list("username", flat=True)) == ["boundary", "recent"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["recent"]
    assert AccessAttempt.objects.filter(username="locked").exists()  # lockouts are axes' own business


def test_a_rerun_deletes_nothing():
    _session("expired", NOW - dt.timedelta(days=1))
    _sign_in("old", NOW - dt.timedelta(days=400))
    sign_in_records_tidy(now=NOW)
    assert sign_in_records_tidy(now=NOW).as_dict() == {"expired_sessions": 0, "sign_ins": 0, "failed_sign_ins": 0}


def test_an_engine_without_rows_clears_its_own_way(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"  # clear_expired() does nothing
    _session("expired", NOW - dt.timedelta(days=1))
    assert sign_in_records_tidy(now=NOW).expired_sessions is None


def test_the_job_and_the_command_run_nightly(capsys, settings):
    settings.SIGN_IN_LOG_RETENTION_DAYS = 365
    now = timezone.now()
    _session("expired", now - dt.timedelta(hours=1))
    _sign_in("old", now - dt.timedelta(days=366))
    assert any(s.task == "omic.sign_in_records_tidy" and s.crontab for s in SCHEDULES)

    call_command("sign_in_records_tidy")
    out = capsys.readouterr().out
    assert "Expired sessions: 1 deleted" in out
    assert "older than 365 days: 1 sign-ins and 0 failed sign-ins deleted" in out
    nothing_left = {"expired_sessions": 0, "sign_ins": 0, "failed_sign_ins": 0}
    assert sign_in_records_tidy_task.apply().get() == nothing_left  # run here, whatever the broker
