"""The service admin's nightly jobs page: the latest handover sweeps with the next action each asks for, the other
fanned-out jobs' progress, the queues, and queuing an unfinished sweep's prisons again."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from handover.models import SweepRun, SweepRunPrison
from handover.sweep_selectors import sweep_run_recent_list, sweep_run_status
from omic.celery import fanout_begin, fanout_forget, fanout_prison_done
from omic.queueing import queue_depths
from tests.factories import PrisonFactory

pytestmark = pytest.mark.django_db
URL = "/service-admin/nightly-jobs/"


@pytest.fixture
def admin(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=["service_admin"], username="svcadmin"))
    return client


def _run(*, minutes_ago: float, took: float | None, day: dt.date, fanout=True, errors=0, prisons=(), done=()):
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    run = SweepRun.objects.create(
        started_at=started,
        finished_at=started + dt.timedelta(seconds=took) if took is not None else None,
        calculated_on=day,
        fanout=fanout,
        computed=1000,
        changed=12,
        errors=errors,
        prisons_total=len(prisons),
        prisons_done=len(done),
    )
    for code in prisons:
        finished = started + dt.timedelta(seconds=5) if code in done else None
        SweepRunPrison.objects.create(run=run, prison_id=code, finished_at=finished)
    return run


@pytest.fixture
def prisons(db):
    return [PrisonFactory(code=code, name=f"HMP {code}") for code in ("AAA", "BBB", "CCC")]


def test_the_page_is_linked_from_the_service_admin_home_and_refused_to_others(admin, client, staff_user_factory):
    assert reverse("nightly_jobs") == URL
    assert f'href="{URL}"' in admin.get(reverse("service_admin_home")).content.decode()
    client.force_login(staff_user_factory(roles=["pom"], username="pom1"))
    assert client.get(URL).status_code == 403


def test_no_sweep_yet(admin):
    page = admin.get(URL).content.decode()
    assert "No handover sweep has run yet." in page


def test_a_finished_sweep_says_when_and_how_long(admin, prisons):
    today = timezone.localdate()
    _run(minutes_ago=60, took=41, day=today, prisons=["AAA", "BBB", "CCC"], done=["AAA", "BBB", "CCC"])
    page = admin.get(URL).content.decode()
    assert f"The sweep for {today:%-d %B %Y} finished at" in page
    assert "in 41 seconds, with no errors" in page
    assert "3 of 3" in page
    assert "Queue the" not in page


def test_errors_send_the_admin_to_the_worker_log(admin, prisons):
    _run(minutes_ago=60, took=40, day=timezone.localdate(), errors=2, prisons=["AAA"], done=["AAA"])
    page = admin.get(URL).content.decode()
    assert "2 cases could not be calculated" in page
    assert "worker's log names each one with its error" in page


def test_a_run_still_going_is_running_not_unfinished(admin, prisons):
    _run(minutes_ago=5, took=None, day=timezone.localdate(), prisons=["AAA", "BBB", "CCC"], done=["AAA"])
    page = admin.get(URL).content.decode()
    assert "is running: 1 of 3 prisons done" in page
    assert "Queue the" not in page


def test_an_unfinished_run_names_its_prisons_and_offers_to_queue_them_again(
    admin, prisons, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    run = _run(minutes_ago=45, took=None, day=today, prisons=["AAA", "BBB", "CCC"], done=["BBB"])
    page = admin.get(URL).content.decode()
    assert f"The sweep for {today:%-d %B %Y} is unfinished: 2 of 3 prisons not done" in page
    assert "Not done: AAA, CCC" in page
    assert f'action="/service-admin/nightly-jobs/sweeps/{run.pk}/resume"' in page
    assert "Queue the 2 unfinished prisons again" in page

    with (
        mock.patch("handover.services.sweep_fanout._queue") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin.post(reverse("nightly_sweep_resume", kwargs={"run_id": run.pk}), follow=True)
    queue.assert_called_once_with(run.pk, ["AAA", "CCC"], today)  # after the commit, as the 03:30 resume does
    assert f"2 prisons queued again for the sweep of {today:%-d %B %Y}" in response.content.decode()


def test_a_run_that_is_not_unfinished_is_not_queued_again(admin, prisons, django_capture_on_commit_callbacks):
    run = _run(minutes_ago=5, took=None, day=timezone.localdate(), prisons=["AAA"], done=[])
    with mock.patch("handover.services.sweep_fanout._queue") as queue, django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("nightly_sweep_resume", kwargs={"run_id": run.pk}), follow=True)
    queue.assert_not_called()
    assert "is not an unfinished fanned-out sweep: nothing was queued" in response.content.decode()
    assert admin.post(reverse("nightly_sweep_resume", kwargs={"run_id": run.pk + 99})).status_code == 404
    assert admin.get(reverse("nightly_sweep_resume", kwargs={"run_id": run.pk})).status_code == 405


def test_the_status_rules():
    now = timezone.now()
    run = SweepRun(started_at=now - dt.timedelta(minutes=30), calculated_on=now.date(), errors=0)
    assert sweep_run_status(run, now=now) == "running"
    assert sweep_run_status(run, now=now + dt.timedelta(seconds=1)) == "unfinished"
    run.finished_at = now
    assert sweep_run_status(run, now=now) == "finished"
    run.errors = 1
    assert sweep_run_status(run, now=now) == "finished with errors"


def test_the_runs_are_read_in_two_queries_however_many(django_assert_num_queries, prisons):
    today = timezone.localdate()
    for i in range(5):
        _run(minutes_ago=60 * 24 * i + 45, took=None, day=today - dt.timedelta(days=i), prisons=["AAA", "BBB"])
    with django_assert_num_queries(2):
        rows = sweep_run_recent_list(now=timezone.now(), limit=14)
    assert [row.prisons_not_done for row in rows] == [["AAA", "BBB"]] * 5


def test_the_other_jobs_show_their_progress_today(admin, prisons):
    today = timezone.localdate()
    fanout_forget("tiering.tier_recalculate_all", today, ["AAA", "BBB", "CCC"])
    fanout_forget("casework.tasks_recompute", today, ["AAA", "BBB", "CCC"])
    fanout_forget("dashboards.measures_snapshot", today, ["AAA", "BBB", "CCC"])
    fanout_begin("tiering.tier_recalculate_all", today, ["AAA", "BBB", "CCC"])
    fanout_prison_done("tiering.tier_recalculate_all", today, "AAA")
    fanout_begin("casework.tasks_recompute", today, ["AAA", "BBB", "CCC"])
    for code in ("AAA", "BBB", "CCC"):
        fanout_prison_done("casework.tasks_recompute", today, code)
    try:
        page = admin.get(URL).content.decode()
    finally:
        fanout_forget("tiering.tier_recalculate_all", today, ["AAA", "BBB", "CCC"])
        fanout_forget("casework.tasks_recompute", today, ["AAA", "BBB", "CCC"])
    assert "1 of 3 prisons done" in page
    assert "Done: all 3 prisons" in page
    assert "Not started today" in page


def test_with_jobs_run_in_process_there_are_no_queues_to_show(admin, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert queue_depths() is None
    assert "No queues to show" in admin.get(URL).content.decode()


@pytest.mark.skipif(
    not django_settings.CELERY_BROKER_URL.startswith("redis://"), reason="needs a Redis broker (.ci/run sets one)"
)
def test_the_queue_depths_come_from_the_broker(settings):
    from kombu import Exchange, Producer, Queue

    from omic.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    name = "omic-test-queue-depth"
    queue = Queue(name, Exchange(name), routing_key=name)
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        queue(channel).declare()
        try:
            producer = Producer(channel, exchange=queue.exchange, routing_key=name)
            for i in range(3):
                producer.publish({"n": i})
            assert queue_depths((name, "omic-test-never-used")) == {name: 3, "omic-test-never-used": 0}
        finally:
            queue(channel).delete()


def test_an_unreachable_broker_shows_no_queues(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch("omic.celery.app.connection_for_read", side_effect=ConnectionError("refused")):
        assert queue_depths() is None


def test_an_unfinished_run_in_one_process_is_run_again_by_command(admin, django_capture_on_commit_callbacks):
    run = _run(minutes_ago=90, took=None, day=timezone.localdate(), fanout=False)
    page = admin.get(URL).content.decode()
    assert "did not finish. Run it again on the server: <code>python manage.py handover_sweep</code>" in page
    assert "Queue the" not in page
    with mock.patch("handover.services.sweep_fanout._queue") as queue, django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("nightly_sweep_resume", kwargs={"run_id": run.pk}), follow=True)
    queue.assert_not_called()
    assert "nothing was queued" in response.content.decode()


def test_the_page_reads_as_many_queries_for_many_runs_as_for_one(admin, prisons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    _run(minutes_ago=45, took=None, day=today, prisons=["AAA", "BBB"])
    with CaptureQueriesContext(connection) as one:
        assert admin.get(URL).status_code == 200
    for i in range(1, 8):
        _run(minutes_ago=60 * 24 * i, took=30, day=today - dt.timedelta(days=i), prisons=["AAA"], done=["AAA"])
    with CaptureQueriesContext(connection) as many:
        assert admin.get(URL).status_code == 200
    assert len(many) == len(one)


def test_the_times_and_names_on_the_page_come_from_the_schedules(admin):
    from omic.schedules import schedule_for

    page = admin.get(URL).content.decode()
    sweep, resume = schedule_for("handover.sweep"), schedule_for("handover.sweep_resume")
    assert f"handover dates at {sweep.at:%H:%M}, one task per prison" in page
    assert f"queued again at {resume.at:%H:%M}" in page
    for task in ("tiering.tier_recalculate_dispatch", "casework.tasks_recompute_dispatch"):
        schedule = schedule_for(task)
        assert f"{schedule.name} <span" in page
        assert f"at {schedule.at:%H:%M}</span>" in page


def test_a_moved_schedule_moves_on_the_page(admin, monkeypatch):
    import dataclasses

    from omic import schedules

    moved = tuple(
        dataclasses.replace(s, name="Tiers, moved", crontab={"minute": "10", "hour": "2"})
        if s.task == "tiering.tier_recalculate_dispatch"
        else s
        for s in schedules.SCHEDULES
    )
    monkeypatch.setattr(schedules, "SCHEDULES", moved)
    page = admin.get(URL).content.decode()
    assert "Tiers, moved <span" in page
    assert "at 02:10</span>" in page


def test_a_run_counts_as_unfinished_once_the_resume_job_would_have_run():
    from handover.sweep_selectors import RUNNING_FOR_AT_MOST
    from omic.schedules import schedule_for

    sweep, resume = schedule_for("handover.sweep").at, schedule_for("handover.sweep_resume").at
    window = RUNNING_FOR_AT_MOST
    assert window == dt.timedelta(hours=resume.hour - sweep.hour, minutes=resume.minute - sweep.minute)
    assert window > dt.timedelta(0)


def test_a_schedule_without_one_time_of_day_has_no_time():
    from omic.schedules import schedule_for

    assert schedule_for("cases.audit_purge").at == dt.time(5, 15)
    with pytest.raises(ValueError, match="omic.worker_heartbeat does not run at one time of day"):
        schedule_for("omic.worker_heartbeat").at  # noqa: B018 (every minute)
    with pytest.raises(KeyError):
        schedule_for("omic.no_such_job")
