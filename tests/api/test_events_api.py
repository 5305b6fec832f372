"""Contract tests of POST /api/v1/events and GET /api/v1/events/{eventId}: 202 and stored once, the scope each
event type needs, prison scoping, and field-named problems."""

import pytest

from api import scopes
from integration.models import EventStatus, InboundEvent
from tests.factories import PrisonFactory
from tests.factories.cases import PrisonerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/events"


def event(event_type="prisoner.released", number="A1234BC", event_id="evt-1", **info):
    return {
        "eventId": event_id,
        "eventType": event_type,
        "version": 1,
        "occurredAt": "2026-11-20T10:00:00Z",
        "description": "A test event",
        "personReference": {"identifiers": [{"type": "NOMS", "value": number}]},
        "additionalInformation": info,
    }


def fields(response):
    return [error["field"] for error in response.json().get("errors", [])]


@pytest.fixture(autouse=True)
def _eager_jobs():
    """Queued jobs run inline, even with a real broker configured (tests/integration/test_end_to_end.py uses one)."""
    from omic.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


@pytest.fixture
def prisoner(leeds):
    return PrisonerFactory(prison_number="A1234BC", prison=leeds)


def test_an_event_is_accepted_stored_once_and_processed(bearer, prisoner, django_capture_on_commit_callbacks):
    sender = bearer(scopes=[scopes.WRITE_PRISONERS])
    with django_capture_on_commit_callbacks(execute=True):
        first = sender.post(URL, event(releasedOn="2026-11-19"), format="json")
    assert first.status_code == 202, first.content
    assert first.json()["duplicate"] is False
    again = sender.post(URL, event(releasedOn="2026-11-19"), format="json")
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["status"] == EventStatus.PROCESSED
    assert InboundEvent.objects.filter(event_id="evt-1").count() == 1
    status = sender.get(f"{URL}/evt-1")
    assert status.status_code == 200
    assert status.json()["outcome"].startswith("release recorded")


def test_the_same_id_with_other_content_is_a_409(bearer, prisoner):
    sender = bearer(scopes=[scopes.WRITE_PRISONERS])
    assert sender.post(URL, event(), format="json").status_code == 202
    conflict = sender.post(URL, event(reason="Other"), format="json")
    assert conflict.status_code == 409
    assert conflict["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("event_type", "info", "scope_needed"),
    [
        ("prisoner.released", {}, scopes.WRITE_PRISONERS),
        ("prisoner.transferred", {"prisonId": "LEI"}, scopes.WRITE_PRISONERS),
        ("probation.com.allocated", {"com": {"email": "com@example.gov.uk"}}, scopes.WRITE_PROBATION),
        ("probation.tier.changed", {"tierInputs": {"rsr": 1}}, scopes.WRITE_PROBATION),
    ],
)
def test_each_event_type_needs_its_scope(bearer, prisoner, event_type, info, scope_needed):
    other = scopes.WRITE_PROBATION if scope_needed == scopes.WRITE_PRISONERS else scopes.WRITE_PRISONERS
    without = bearer(scopes=[other, scopes.READ_HANDOVERS])
    refused = without.post(URL, event(event_type, **info), format="json")
    assert refused.status_code == 403
    assert scope_needed in refused.json()["detail"]
    assert not InboundEvent.objects.exists()
    assert bearer(scopes=[scope_needed]).post(URL, event(event_type, **info), format="json").status_code == 202


def test_outside_the_clients_prisons_is_a_404(bearer, leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    PrisonerFactory(prison_number="B2345CD", prison=moorland)
    PrisonerFactory(prison_number="A1234BC", prison=leeds)
    leeds_only = bearer(scopes=[scopes.WRITE_PRISONERS], prisons=[leeds])
    assert leeds_only.post(URL, event(number="B2345CD"), format="json").status_code == 404
    assert leeds_only.post(URL, event(number="C3456DE"), format="json").status_code == 404  # not known here
    moved = event("prisoner.transferred", prisonId="MDI")
    assert leeds_only.post(URL, moved, format="json").status_code == 404  # into a prison it may not see
    assert not InboundEvent.objects.exists()
    assert leeds_only.post(URL, event(), format="json").status_code == 202


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"eventId": ""}, "eventId"),
        ({"eventType": "prisoner.vanished"}, "eventType"),
        ({"occurredAt": "yesterday"}, "occurredAt"),
        ({"personReference": {"identifiers": [{"type": "NOMS", "value": "12345"}]}}, "personReference"),
        ({"personReference": {"identifiers": [{"type": "CRN", "value": "X123456"}]}}, "personReference"),
        ({"additionalInformation": {"releasedOn": "19/11/2026"}}, "additionalInformation.releasedOn"),
        (
            {"eventType": "prisoner.transferred", "additionalInformation": {"prisonId": "ZZZ"}},
            "additionalInformation.prisonId",
        ),
        (
            {"eventType": "prisoner.merged", "additionalInformation": {"removedPrisonNumber": "A1234BC"}},
            "additionalInformation.removedPrisonNumber",
        ),
        (
            {"eventType": "parole.outcome", "additionalInformation": {"reviewId": "R1"}},
            "additionalInformation.hearingOutcome",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(bearer, prisoner, changes, field):
    sender = bearer(scopes=[scopes.WRITE_PRISONERS])
    response = sender.post(URL, {**event(), **changes}, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in fields(response)
    assert not InboundEvent.objects.exists()


def test_another_clients_event_is_not_found(bearer, prisoner):
    bearer(scopes=[scopes.WRITE_PRISONERS]).post(URL, event(), format="json")
    assert bearer(scopes=[scopes.WRITE_PRISONERS]).get(f"{URL}/evt-1").status_code == 404


def test_without_a_token_it_is_a_401(client, prisoner):
    assert client.post(URL, event(), content_type="application/json").status_code == 401
