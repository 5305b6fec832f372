"""Issue #10: the multi-process shape on one machine, without Docker: two gunicorns and two Celery workers on
loopback. The API answers through both web processes while the workers sweep, and each prison is swept once."""

import json
import urllib.parse
import urllib.request

import pytest
from django.core.cache import cache
from django.utils import timezone

from api.client_services import api_client_register
from api.scopes import READ_HANDOVERS
from cases.models import Prison
from handover.models import CalculatedHandover, CalculatedHandoverHistory, SweepRun, SweepRunPrison
from tests.national.estate import estate_build
from tests.national.processes import gunicorn_start, http_ok, stop, wait_for, worker_start, workers_ready

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PORTS = (8150, 8151)
WORKERS = ("one", "two")
PRISONS, PER_PRISON = 10, 600
ALL_QUEUES = "default,recalc,integration,notify"


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


def _token(port: int, client_id: str, secret: str) -> str:
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/oauth/token", data=body.encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access_token"]


def _handovers(port: int, token: str, code: str) -> tuple[int, dict]:
    url = f"http://127.0.0.1:{port}/api/v1/prisons/{code}/handovers"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_two_web_processes_answer_while_two_workers_sweep_each_prison_once(real_celery, tmp_path):
    from handover.tasks import handover_sweep

    today = timezone.localdate()
    codes = estate_build(prisons=PRISONS, per_prison=PER_PRISON, today=today)
    cases = PRISONS * PER_PRISON
    api_client, secret = api_client_register(
        name="Multi-process test", scopes=[READ_HANDOVERS], prisons=list(Prison.objects.filter(code__in=codes))
    )
    processes = [gunicorn_start(port, log=tmp_path / f"web{port}.log") for port in PORTS]
    processes += [worker_start(name, queues=ALL_QUEUES, log=tmp_path / f"{name}.log") for name in WORKERS]
    try:
        for port in PORTS:
            assert wait_for(lambda port=port: http_ok(f"http://127.0.0.1:{port}/health/ping"), 60), (
                tmp_path / f"web{port}.log"
            ).read_text()[-3000:]
        assert workers_ready(real_celery, list(WORKERS))
        token = _token(PORTS[0], api_client.client_id, secret)  # issued by one web process, honoured by the other
        assert [_handovers(port, token, codes[0])[0] for port in PORTS] == [200, 200]

        handover_sweep.delay()  # through the broker: a worker runs the dispatcher, which queues one task per prison
        run = wait_for(lambda: SweepRun.objects.filter(fanout=True, calculated_on=today).first(), 60)
        assert run, "the dispatcher did not run"
        answers, turn = [], 0
        while not SweepRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists() and len(answers) < 5000:
            answers.append(_handovers(PORTS[turn % 2], token, codes[turn % PRISONS])[0])
            turn += 1
        assert wait_for(lambda: SweepRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists(), 120)
        after = [_handovers(port, token, codes[-1]) for port in PORTS]
    finally:
        for process in processes:
            stop(process)

    assert answers, "the sweep finished before any request was made"
    assert set(answers) == {200}, f"{len(answers)} answers during the sweep: {set(answers)}"
    assert [status for status, _ in after] == [200, 200]
    assert after[0][1] == after[1][1]
    run.refresh_from_db()
    assert (run.prisons_total, run.prisons_done) == (PRISONS, PRISONS)
    assert (run.computed, run.changed, run.errors) == (cases, cases, 0)
    parts = SweepRunPrison.objects.filter(run=run)
    assert sorted(parts.values_list("prison_id", "attempts", "computed")) == [(c, 1, PER_PRISON) for c in codes]
    swept_by = set(parts.values_list("swept_by", flat=True))
    assert swept_by == {f"{name}@fanout-test" for name in WORKERS}, swept_by  # both workers took prisons
    assert CalculatedHandover.objects.count() == cases
    assert CalculatedHandoverHistory.objects.filter(trigger="sweep").count() == cases
