"""The request id: taken from X-Request-ID when sane, else made; returned on the response; carried into Celery jobs."""

import re
import time
import uuid
from types import SimpleNamespace

import pytest

from cases.audit import audit_record
from cases.models import AuditEvent
from omic import request_id
from omic.celery import app
from tests.factories import PrisonerFactory

pytestmark = pytest.mark.django_db
HEX = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize("sent", ["abc-123", "A.b_C-9", "x" * 64])
def test_a_sane_request_id_is_kept_and_returned(client, sent):
    response = client.get("/health/ping", headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", [None, "", "x" * 65, "has space", "semi;colon", "ünïcode", "new\nline"])
def test_an_absent_or_unsafe_request_id_is_replaced_by_a_new_one(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = client.get("/health/ping", headers=headers)["X-Request-ID"]
    second = client.get("/health/ping", headers=headers)["X-Request-ID"]
    assert HEX.match(first)
    assert HEX.match(second)
    assert first != second


def test_an_error_page_names_its_request_too(client):
    response = client.get("/no/such/page/", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-404"


def test_the_id_is_only_set_during_the_request(client):
    client.get("/health/ping", headers={"X-Request-ID": "req-inside"})
    assert request_id.current_request_id() == ""


def test_a_queued_task_carries_the_id_in_a_header_and_the_worker_sets_it():
    headers = {}
    token = request_id._current.set("req-queued")
    try:
        request_id._add_header(headers=headers)
    finally:
        request_id._current.reset(token)
    assert headers == {request_id.TASK_HEADER: "req-queued"}
    # The worker side: a task (not eager) whose message carried the header runs with the id, then it is cleared.
    task = SimpleNamespace(request=SimpleNamespace(is_eager=False, headers=None, omic_request_id="req-queued"))
    request_id._enter_task(task_id="t1", task=task)
    assert request_id.current_request_id() == "req-queued"
    request_id._leave_task(task_id="t1")
    assert request_id.current_request_id() == ""
    unsafe = SimpleNamespace(request=SimpleNamespace(is_eager=False, headers={"omic_request_id": "bad id"}))
    request_id._enter_task(task_id="t2", task=unsafe)
    assert request_id.current_request_id() == ""
    request_id._leave_task(task_id="t2")


def test_no_header_is_added_outside_a_request():
    headers = {}
    request_id._add_header(headers=headers)
    assert headers == {}


@app.task(name="tests.audit.record_with_request_id")
def record_with_request_id(prison_number: str, marker: str) -> None:
    from cases.models import Prisoner

    prisoner = Prisoner.objects.get(pk=prison_number)
    audit_record(action="job_test", obj=prisoner, before=None, after={"marker": marker}, actor_label="job",
                 prisoner=prisoner)  # fmt: skip


@pytest.fixture
def real_worker(settings):
    from celery.contrib.testing.worker import start_worker

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_queued_during_a_request_writes_audit_rows_with_that_request_id(real_worker, prison):
    prisoner = PrisonerFactory(prison=prison)
    marker = uuid.uuid4().hex
    token = request_id._current.set("req-from-web")  # as RequestIdMiddleware does for the request
    try:
        result = record_with_request_id.delay(prisoner.pk, marker)
    finally:
        request_id._current.reset(token)
    assert result.__class__.__name__ == "AsyncResult", "the job must go through the broker"
    deadline = time.monotonic() + 30
    while not AuditEvent.objects.filter(after__marker=marker).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    event = AuditEvent.objects.get(after__marker=marker)
    assert event.request_id == "req-from-web"
    record_with_request_id.delay(prisoner.pk, marker + "-cron")  # queued outside a request: blank
    deadline = time.monotonic() + 30
    while not AuditEvent.objects.filter(after__marker=marker + "-cron").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert AuditEvent.objects.get(after__marker=marker + "-cron").request_id == ""
