"""With the broker down, the web still serves and saves, quickly, and the work that was due is caught up once.

The broker is a Redis URL on a closed port (every connection refused): no real broker is needed to be down, so these
run on both databases. The catch-up runs the missed jobs in-process (``jobs_catch_up``), as cron would while the
broker is still down; the last test has a real worker run it once the broker is back (Redis only).
"""

import contextlib
import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from casework.models import CaseTask
from handover.models import CalculatedHandover, CalculatedHandoverHistory
from omic.models import PendingJob
from omic.queueing import enqueue, jobs_catch_up
from omic.tasks import worker_heartbeat
from tests.factories import PomProfileFactory, PrisonerFactory, SentenceFactory, StaffProfileFactory, UserFactory
from tests.factories.allocation import ready_case
from tests.factories.handover import StoredHandoverFactory
from tests.resilience.broker import CLOSED_PORT, broker_at

pytestmark = pytest.mark.django_db

POST_SECONDS = 2.0  # the brief: a page that queues work answers within 2 s with the broker down


def _url(name, prisoner):
    return reverse(name, kwargs={"prison_code": prisoner.prison_id, "prison_number": prisoner.prison_number})


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # no "already queued" flags from another test
    yield
    cache.clear()


def _timed_post(client, url, data, capture):
    started = time.monotonic()
    with capture(execute=True):  # the after-commit queueing runs inside the timing, as it does in a request
        response = client.post(url, data)
    return response, time.monotonic() - started


def test_enqueue_with_the_broker_down_keeps_the_job_once_and_does_not_raise(caplog):
    with broker_at(CLOSED_PORT):
        started = time.monotonic()
        assert enqueue(worker_heartbeat) is False
        assert enqueue(worker_heartbeat) is False  # the same job again: still one row
        assert enqueue(worker_heartbeat, catch_up=False) is False  # the caller has its own outbox
        seconds = time.monotonic() - started
    assert seconds < POST_SECONDS
    assert PendingJob.objects.filter(task="omic.worker_heartbeat").count() == 1
    assert "Broker unreachable" in caplog.text
    counts = jobs_catch_up()
    assert (counts.run, counts.failed, counts.waiting) == (1, 0, 0)
    assert jobs_catch_up().run == 0  # nothing twice


def test_a_missing_details_post_saves_and_its_recalculation_and_tasks_are_caught_up_once(
    client, homd_user, prison, django_capture_on_commit_callbacks, mailoutbox
):
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    url = _url("allocation_missing_details_form", prisoner)
    data = {"tier": "B", "tier_reason": "Not in nDelius yet", "rosh_level": "high", "mappa_level": "2"}
    with broker_at(CLOSED_PORT):
        response, seconds = _timed_post(
            client, url, {**data, "enhanced_resourcing": "yes"}, django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
        again, _ = _timed_post(client, url, {**data, "enhanced_resourcing": "no"}, django_capture_on_commit_callbacks)
        assert again.status_code == 302
    print(f"missing details POST with the broker down: {seconds:.3f} s")
    assert seconds < POST_SECONDS
    prisoner.refresh_from_db()
    assert prisoner.case_information.tier == "B"
    assert prisoner.case_information.enhanced_resourcing is False
    assert not CalculatedHandover.objects.filter(pk=prisoner.pk).exists()  # not computed yet: the broker is down
    assert sorted(PendingJob.objects.values_list("task", flat=True)) == [
        "casework.task_recompute_case",
        "handover.recalculate",
    ]  # two changes to one case: one job each, not two

    # the broker is back (in-process here, on both databases: what the catch-up's own changes queue runs at once)
    with broker_at("memory://", eager=True), django_capture_on_commit_callbacks(execute=True):
        counts = jobs_catch_up()
    assert (counts.run, counts.failed, counts.waiting) == (2, 0, 0)
    assert CalculatedHandover.objects.filter(pk=prisoner.pk).exists()
    assert CalculatedHandoverHistory.objects.filter(prisoner=prisoner).count() == 1  # computed exactly once
    assert CaseTask.objects.filter(prisoner=prisoner).exists()
    tasks_before = list(CaseTask.objects.filter(prisoner=prisoner).values_list("pk", "kind", "due_date"))
    assert jobs_catch_up().run == 0
    assert list(CaseTask.objects.filter(prisoner=prisoner).values_list("pk", "kind", "due_date")) == tasks_before


def test_an_allocation_saves_and_its_email_is_sent_once_when_caught_up(
    client, homd_user, prison, django_capture_on_commit_callbacks, mailoutbox
):
    from cases.models import PomAllocation, PomProfile, SentEmail

    prisoner = ready_case(prison=prison, tier="A", first_name="Tom", last_name="Archer")
    StoredHandoverFactory(prisoner=prisoner)  # POM responsible: a probation POM is recommended
    user = UserFactory(username="po", first_name="Olu", last_name="Okoro", roles=["pom"], email="olu@example.org")
    StaffProfileFactory(user=user, prisons=[prison])
    pom = PomProfileFactory(user=user, prison=prison, pom_type=PomProfile.PomType.PROBATION, status="active")
    client.force_login(homd_user)
    url = _url("allocation_confirm", prisoner) + f"?pom={pom.pk}"
    with broker_at(CLOSED_PORT):
        response, seconds = _timed_post(
            client, url, {"expected": "", "message": ""}, django_capture_on_commit_callbacks
        )
    print(f"allocation POST with the broker down: {seconds:.3f} s")
    assert response.status_code == 302
    assert seconds < POST_SECONDS
    assert PomAllocation.objects.get(prisoner=prisoner).pom == pom  # saved
    assert mailoutbox == []
    assert PendingJob.objects.filter(task="allocation.pom_email_send").count() == 1

    call_command("jobs_catch_up", "--no-progress")
    call_command("jobs_catch_up", "--no-progress")  # a second run sends nothing more
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["olu@example.org"]
    assert SentEmail.objects.filter(to="olu@example.org").count() == 1
    assert not PendingJob.objects.exists()


def test_the_web_still_serves_pages_with_the_broker_down(client, homd_user, prison):
    prisoner = ready_case(prison=prison, tier="C")
    client.force_login(homd_user)
    with broker_at(CLOSED_PORT):
        assert client.get(_url("allocation_review", prisoner)).status_code == 200
        assert client.get(reverse("health")).status_code in (200, 503)  # health may report the broker; never a 500


def test_a_failing_job_is_kept_with_its_error_and_the_others_still_run():
    from omic.queueing import pending_record

    pending_record("handover.recalculate", ["NO-SUCH"], {})  # an unknown prisoner: the job itself reports it
    pending_record("omic.no_such_task", [], {})
    pending_record("omic.worker_heartbeat", [], {})
    counts = jobs_catch_up()
    assert counts.run + counts.failed == 3
    assert counts.failed >= 1
    kept = PendingJob.objects.get(task="omic.no_such_task")
    assert kept.attempts == 1
    assert "no_such_task" in kept.last_error
    assert not PendingJob.objects.filter(task="omic.worker_heartbeat").exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_catches_up_once_the_broker_is_back(client, homd_user, prison):
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from omic.celery import app
    from omic.tasks import jobs_catch_up as catch_up_task

    client.force_login(homd_user)
    with broker_at(CLOSED_PORT):
        prisoner = PrisonerFactory(prison=prison)  # each save commits at once: its recalculation cannot be queued
        SentenceFactory(prisoner=prisoner)
        response = client.post(
            _url("allocation_missing_details_form", prisoner),
            {
                "tier": "C",
                "tier_reason": "By hand",
                "rosh_level": "low",
                "mappa_level": "1",
                "enhanced_resourcing": "no",
            },
        )
        assert response.status_code == 302
    assert PendingJob.objects.filter(task="handover.recalculate").count() == 1
    assert not CalculatedHandover.objects.filter(pk=prisoner.pk).exists()
    with broker_at(settings.CELERY_BROKER_URL):
        app.control.purge()
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1):
            catch_up_task.delay()
            deadline = time.monotonic() + 30
            while PendingJob.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
    assert not PendingJob.objects.exists()
    assert CalculatedHandoverHistory.objects.filter(prisoner=prisoner).count() == 1


def test_a_failing_after_commit_queueing_is_logged_by_name_not_raised(
    prison, django_capture_on_commit_callbacks, caplog
):
    """Robust on-commit callbacks: a queueing error (here the cache) is logged with the callback's name, and the
    save that triggered it stands (a functools.partial without a name would make Django's own logging fail)."""
    from unittest import mock

    prisoner = PrisonerFactory(prison=prison)
    with (
        mock.patch("handover.signals.cache.add", side_effect=RuntimeError("cache down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        SentenceFactory(prisoner=prisoner)
    assert "Error calling recalculation_queue in on_commit()" in caplog.text
    assert prisoner.__class__.objects.get(pk=prisoner.pk).sentence is not None


def test_an_inbound_event_received_while_the_broker_is_down_is_processed_by_the_requeue(
    prison, django_capture_on_commit_callbacks
):
    """Integration's own outbox: the stored event is not lost; ``integration_requeue`` queues it once the broker is
    back (here: eager), and with the broker still down it fails fast and keeps it."""
    import datetime as dt

    from django.utils import timezone

    from integration.event_services import event_receive, events_requeue_due
    from integration.models import EventStatus, EventType, InboundEvent

    PrisonerFactory(prison=prison, prison_number="A1111AA")
    with broker_at(CLOSED_PORT), django_capture_on_commit_callbacks(execute=True):
        event, created = event_receive(
            event_id="down-1",
            event_type=EventType.PRISONER_RELEASED,
            prison_number="A1111AA",
            occurred_at=dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC),
            payload={},
            received_from="tests",
        )
    assert created
    assert InboundEvent.objects.get(pk=event.pk).status == EventStatus.RECEIVED  # stored, not processed
    assert not PendingJob.objects.exists()  # the stored event is the outbox: no second copy
    InboundEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - dt.timedelta(minutes=10))
    with broker_at(CLOSED_PORT):
        started = time.monotonic()
        assert events_requeue_due(now=timezone.now()) == 1  # tried, failed fast, still there
        assert time.monotonic() - started < POST_SECONDS
    assert InboundEvent.objects.get(pk=event.pk).status == EventStatus.RECEIVED
    with broker_at("memory://", eager=True), django_capture_on_commit_callbacks(execute=True):
        call_command("integration_requeue")  # the broker is back (in-process here, on both databases)
    assert InboundEvent.objects.get(pk=event.pk).status == EventStatus.PROCESSED


CLOSED_CACHE = {
    "default": {
        "BACKEND": "omic.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # as CLOSED_PORT: every connection refused
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    }
}


def test_with_broker_and_cache_both_down_a_post_saves_its_job_is_kept_and_the_dashboard_serves(
    client, homd_user, prison, settings, django_capture_on_commit_callbacks, caplog
):
    """docker-compose.yml runs the broker and the cache on one Redis: with it down the cache is a miss (a warning),
    so the on-commit queueing goes on to ``enqueue``, which keeps the job; the HOMD dashboard works its figures out."""
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(prisoner=prisoner)
    client.force_login(homd_user)
    data = {"tier": "B", "tier_reason": "Not in nDelius", "rosh_level": "high", "mappa_level": "2"}
    settings.CACHES = CLOSED_CACHE  # resets django.core.cache.cache (setting_changed)
    with broker_at(CLOSED_PORT):
        response, seconds = _timed_post(
            client,
            _url("allocation_missing_details_form", prisoner),
            {**data, "enhanced_resourcing": "yes"},
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 302
        assert client.get(reverse("homd_dashboard", kwargs={"prison_code": prison.code})).status_code == 200
    print(f"missing details POST with the broker and the cache down: {seconds:.3f} s")
    assert "Cache unreachable" in caplog.text
    assert "Error calling" not in caplog.text  # no on-commit callback failed
    assert sorted(PendingJob.objects.values_list("task", flat=True)) == [
        "casework.task_recompute_case",
        "handover.recalculate",
    ]
    with broker_at("memory://", eager=True), django_capture_on_commit_callbacks(execute=True):
        counts = jobs_catch_up()  # the cache is still down: the catch-up runs the jobs all the same
    assert (counts.run, counts.failed, counts.waiting) == (2, 0, 0)
    assert CalculatedHandoverHistory.objects.filter(prisoner=prisoner).count() == 1


def test_the_fail_soft_cache_answers_as_a_miss(settings, caplog):
    settings.CACHES = CLOSED_CACHE
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True
    cache.set("k", 1)
    cache.delete("k")
    assert cache.get_many(["k"]) == {}
    with pytest.raises(ValueError):
        cache.incr("k")
    assert caplog.text.count("Cache unreachable") == 6


@contextlib.contextmanager
def _silent_broker():
    """A TCP server that accepts connections and never answers: a broker that stopped answering."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        server.close()
        for connection in accepted:
            connection.close()


def test_a_redis_broker_has_a_socket_timeout():
    """The settings for a Redis broker (a fresh interpreter: settings are read once): a publish cannot hang."""
    import json
    import os
    import subprocess
    import sys

    code = "import json, omic.settings.base as s; print(json.dumps(s.CELERY_BROKER_TRANSPORT_OPTIONS))"
    env = os.environ | {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "CELERY_BROKER_SOCKET_TIMEOUT": "3"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    options = json.loads(out.strip().splitlines()[-1])
    assert options["socket_timeout"] == 3.0
    assert {"visibility_timeout", "socket_connect_timeout", "max_retries"} <= options.keys()


def test_a_broker_that_stops_answering_does_not_hang_the_enqueue():
    with _silent_broker() as url, broker_at(url):  # broker_at: the transport options the settings give Redis
        started = time.monotonic()
        assert enqueue(worker_heartbeat) is False
        seconds = time.monotonic() - started
    print(f"enqueue to a broker that does not answer: {seconds:.3f} s")
    assert seconds < 4
    assert PendingJob.objects.filter(task="omic.worker_heartbeat").count() == 1
