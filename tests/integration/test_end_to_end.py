"""End to end with a REAL Celery worker on Redis and PostgreSQL: PUT a prisoner, their sentence and case information,
post a ``prisoner.sentence.changed`` event; the worker processes it and recalculates the handover; GET
/api/v1/handovers shows the new dates; a receiver on localhost gets the signed ``handover.changed``."""

import json
import time

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from rest_framework.test import APIClient

from api import scopes
from api.client_services import api_client_register, api_token_issue
from integration.calculations import signature_valid
from integration.models import EventStatus, InboundEvent
from tests.factories import PrisonFactory
from tests.factories.cases import LocalDeliveryUnitFactory

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NUMBER = "A1234BC"


def _wait_for(check, seconds=45):
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.1)
    return check()


@pytest.fixture
def real_worker(settings):
    from celery.contrib.testing.worker import start_worker
    from django.core.cache import cache

    from omic.celery import app

    cache.clear()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture
def caller(db):
    PrisonFactory(code="LEI", name="HMP Leeds")
    LocalDeliveryUnitFactory(code="N07ABC")
    client, _ = api_client_register(
        name="Prison and probation systems",
        scopes=[scopes.WRITE_PRISONERS, scopes.WRITE_PROBATION, scopes.READ_HANDOVERS, scopes.MANAGE_WEBHOOKS],
        prisons=[],
        rate_limit_per_minute=1200,
        actor_label="tests",
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(client=client).access_token}")
    return api


def _handover_messages(receiver):
    return [json.loads(r["body"]) for r in receiver.received if r["headers"].get("x-omic-event") == "handover.changed"]


def test_put_then_a_sentence_changed_event_recalculates_on_the_worker_and_signs_a_webhook(
    real_worker, caller, receiver, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on localhost (the receiver fixture sets it too)
    today = timezone.localdate()
    start = today - relativedelta(months=6)
    crd = today + relativedelta(months=30)
    subscribed = caller.post(
        "/api/v1/webhooks",
        {"name": "Receiver", "url": receiver.url, "eventTypes": ["handover.changed"]},
        format="json",
    )
    assert subscribed.status_code == 201, subscribed.content
    secret = subscribed.json()["secret"]
    sentence = {
        "sentenceType": "determinate",
        "sentenceStartDate": start.isoformat(),
        "conditionalReleaseDate": crd.isoformat(),
        "sentenceExpiryDate": (crd + relativedelta(years=2)).isoformat(),
    }
    prisoner = {"firstName": "John", "lastName": "Smith", "prisonId": "LEI", "legalStatus": "sentenced"}
    put = caller.put(f"/api/v1/prisoners/{NUMBER}", {**prisoner, "sentence": sentence}, format="json")
    assert put.status_code == 201, put.content
    case = {"crn": "X123456", "roshLevel": "medium", "mappaLevel": 0, "enhancedResourcing": False, "lduCode": "N07ABC"}
    assert caller.put(f"/api/v1/prisoners/{NUMBER}/case-information", case, format="json").status_code == 200

    # The first calculation, on the worker, after the PUTs committed.
    assert _wait_for(lambda: len(_handover_messages(receiver)) >= 1), "no handover.changed for the first calculation"
    first = caller.get(f"/api/v1/handovers/{NUMBER}").json()

    new_crd = crd + relativedelta(months=6)
    event = {
        "eventId": "sentence-changed-1",
        "eventType": "prisoner.sentence.changed",
        "occurredAt": timezone.now().isoformat(),
        "personReference": {"identifiers": [{"type": "NOMS", "value": NUMBER}]},
        "additionalInformation": {"sentence": {**sentence, "conditionalReleaseDate": new_crd.isoformat()}},
    }
    accepted = caller.post("/api/v1/events", event, format="json")
    assert accepted.status_code == 202, accepted.content
    assert caller.post("/api/v1/events", event, format="json").json()["duplicate"] is True

    assert _wait_for(lambda: InboundEvent.objects.get(event_id="sentence-changed-1").status == EventStatus.PROCESSED)
    assert _wait_for(lambda: len(_handover_messages(receiver)) >= 2), "no handover.changed after the event"
    after = caller.get(f"/api/v1/handovers/{NUMBER}").json()
    assert after["handoverDate"] != first["handoverDate"]
    assert (after["source"], after["earliestReleaseDate"]) == ("stored", new_crd.isoformat())

    latest = _handover_messages(receiver)[-1]
    assert latest["additionalInformation"]["handoverDate"] == after["handoverDate"]
    assert latest["additionalInformation"]["handoverStartDate"] == after["handoverStartDate"]
    raw = next(r for r in reversed(receiver.received) if r["headers"].get("x-omic-event") == "handover.changed")
    assert signature_valid(
        secret=secret, header=raw["headers"]["x-omic-signature"], body=raw["body"], now=int(time.time())
    )
    assert not signature_valid(
        secret="wrong", header=raw["headers"]["x-omic-signature"], body=raw["body"], now=int(time.time())
    )
