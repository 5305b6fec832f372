"""Fixes from the security review of the API: no CRN holder leaked, the token endpoint's limit not bypassed by a
made-up X-Forwarded-For, non-finite numbers refused, concurrent identical PUTs."""

import pytest

from api import scopes
from tests.factories import PrisonFactory
from tests.factories.cases import CaseInformationFactory, PrisonerFactory

pytestmark = pytest.mark.django_db

NUMBER = "A1234BC"


@pytest.fixture
def leeds(db):
    return PrisonFactory(code="LEI", name="HMP Leeds")


@pytest.fixture
def writer(bearer, leeds):
    return bearer(scopes=[scopes.WRITE_PRISONERS, scopes.WRITE_PROBATION], prisons=[leeds])


# --- #3 A CRN in use elsewhere is refused without naming its holder -----------------------------------------------


def test_a_crn_held_by_a_prisoner_in_another_prison_is_refused_without_naming_them(writer, leeds):
    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    CaseInformationFactory(prisoner=PrisonerFactory(prison_number="B1111BB", prison=moorland), crn="X123456")
    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    response = writer.put(f"/api/v1/prisoners/{NUMBER}/case-information", {"crn": "X123456"}, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [(e["field"], e["detail"]) for e in errors] == [("crn", "This CRN is already in use")]
    assert b"B1111BB" not in response.content


# --- #4 The token endpoint's limits ---------------------------------------------------------------------------------

TOKEN_URL = "/api/oauth/token"


def _token(client_id, secret, address="10.0.0.1", forwarded=None):
    from rest_framework.test import APIClient

    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return APIClient().post(TOKEN_URL, data, **extra)


def test_a_made_up_x_forwarded_for_does_not_dodge_the_address_limit(api_client_factory, settings):
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    client, secret = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    statuses = [_token(client.client_id, secret, forwarded=f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_by_default_x_forwarded_for_is_ignored():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_failed_secrets_are_limited_per_client_id_from_any_address(api_client_factory, settings, monkeypatch):
    from api import throttling

    monkeypatch.setattr(throttling, "_now", lambda: 1_800_000_000.0)  # one fixed minute
    settings.API_TOKEN_RATE_PER_MINUTE = 1000
    settings.API_TOKEN_FAILURES_PER_MINUTE = 3
    client, secret = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    other, other_secret = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    wrong = [_token(client.client_id, "wrong", address=f"10.0.0.{n}").status_code for n in range(3)]
    assert wrong == [401, 401, 401]
    refused = _token(client.client_id, secret, address="10.0.0.99")
    assert refused.status_code == 429  # even the right secret, from a new address, until the minute is over
    assert refused["Content-Type"] == "application/problem+json"
    assert int(refused["Retry-After"]) >= 1
    assert _token(other.client_id, other_secret).status_code == 200  # another client id is not affected


# --- #5 Event ids are unique per client -----------------------------------------------------------------------------

EVENTS = "/api/v1/events"


def _event(event_id="evt-1", number=NUMBER, **info):
    return {
        "eventId": event_id,
        "eventType": "prisoner.released",
        "occurredAt": "2026-11-20T10:00:00Z",
        "personReference": {"identifiers": [{"type": "NOMS", "value": number}]},
        "additionalInformation": info,
    }


@pytest.fixture
def _eager_jobs():
    from omic.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.mark.usefixtures("_eager_jobs")
def test_another_client_posting_the_same_event_id_learns_nothing_and_gets_its_own_event(bearer, leeds):
    from integration.models import InboundEvent

    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    PrisonerFactory(prison_number="B1111BB", prison=leeds)
    first = bearer(scopes=[scopes.WRITE_PRISONERS])
    second = bearer(scopes=[scopes.WRITE_PRISONERS])
    assert first.post(EVENTS, _event(reason="A's"), format="json").status_code == 202
    # The same id with other content from another client: neither a 409 nor a duplicate of A's event.
    answer = second.post(EVENTS, _event(number="B1111BB", reason="B's"), format="json")
    assert answer.status_code == 202, answer.content
    assert answer.json()["duplicate"] is False
    assert answer.json()["prisonNumber"] == "B1111BB"
    assert second.post(EVENTS, _event(number="B1111BB", reason="B's"), format="json").json()["duplicate"] is True
    assert {(e.client_pk, e.prison_number) for e in InboundEvent.objects.all()} == {
        (first.api_client.pk, NUMBER),
        (second.api_client.pk, "B1111BB"),
    }
    # Each reads its own.
    assert first.get(f"{EVENTS}/evt-1").json()["prisonNumber"] == NUMBER
    assert second.get(f"{EVENTS}/evt-1").json()["prisonNumber"] == "B1111BB"


def test_an_event_is_the_clients_even_after_it_is_renamed(bearer, leeds):
    from api.models import ApiClient

    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    sender = bearer(scopes=[scopes.WRITE_PRISONERS])
    assert sender.post(EVENTS, _event(), format="json").status_code == 202
    other = bearer(scopes=[scopes.WRITE_PRISONERS])
    # A client given the same label later (renamed) does not see it: the event is held by the sender's pk.
    name = sender.api_client.name
    ApiClient.objects.filter(pk=sender.api_client.pk).update(name="Renamed")
    ApiClient.objects.filter(pk=other.api_client.pk).update(name=name)
    from django.core.cache import cache

    cache.clear()
    assert other.get(f"{EVENTS}/evt-1").status_code == 404
    assert sender.get(f"{EVENTS}/evt-1").status_code == 200


# --- #6 Non-finite numbers are a 400, never a 500 -------------------------------------------------------------------


def _raw(caller, method, url, text):
    return getattr(caller, method)(url, text, content_type="application/json")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity", "-Infinity"])
def test_a_non_finite_number_in_an_event_is_a_400_naming_the_field(bearer, leeds, number):
    from integration.models import InboundEvent

    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    sender = bearer(scopes=[scopes.WRITE_PRISONERS])
    text = (
        '{"eventId": "evt-1", "eventType": "prisoner.released", "occurredAt": "2026-11-20T10:00:00Z",'
        ' "personReference": {"identifiers": [{"type": "NOMS", "value": "A1234BC"}]},'
        f' "additionalInformation": {{"reason": "x", "extra": {{"x": {number}}}}}}}'
    )
    response = _raw(sender, "post", EVENTS, text)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["additionalInformation.extra.x"]
    assert not InboundEvent.objects.exists()


@pytest.mark.parametrize(
    ("url", "text", "field"),
    [
        (f"/api/v1/prisoners/{NUMBER}", '{"firstName": "John", "prisonId": "LEI", "x": 1e400}', "x"),
        (f"/api/v1/prisoners/{NUMBER}/case-information", '{"crn": "X123456", "mappaLevel": 1e400}', "mappaLevel"),
        (f"/api/v1/prisoners/{NUMBER}/case-information", '{"tierInputs": {"rsr": NaN}}', "tierInputs.rsr"),
    ],
)
def test_a_non_finite_number_in_a_put_is_a_400_naming_the_field(writer, leeds, url, text, field):
    PrisonerFactory(prison_number=NUMBER, prison=leeds)
    response = _raw(writer, "put", url, text)
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.django_db(transaction=True)
def test_an_integrity_error_that_is_not_a_duplicate_is_not_reported_as_one(leeds):
    from django.db import IntegrityError
    from django.utils import timezone

    from integration.event_services import event_receive

    with pytest.raises(IntegrityError):  # a prison number the database refuses: no such stored event
        event_receive(
            event_id="evt-1",
            event_type="prisoner.released",
            prison_number="bad",
            occurred_at=timezone.now(),
            payload={},
            received_from="tests",
        )


# --- #8 Sensitive key work notes need the sensitive-notes scope -----------------------------------------------------


@pytest.mark.parametrize(("may_read_sensitive", "expected_day"), [(False, "2026-02-05"), (True, "2026-03-05")])
def test_the_latest_key_work_session_leaves_out_a_sensitive_one_without_the_scope(
    bearer, leeds, may_read_sensitive, expected_day
):
    import datetime as dt

    from tests.factories.keywork_recording import KeyworkSessionFactory

    prisoner = PrisonerFactory(prison=leeds)
    KeyworkSessionFactory(prisoner=prisoner, session_date=dt.date(2026, 2, 5))
    KeyworkSessionFactory(prisoner=prisoner, session_date=dt.date(2026, 3, 5), is_sensitive=True)
    granted = [scopes.READ_CASE_NOTES] + ([scopes.READ_SENSITIVE_NOTES] if may_read_sensitive else [])
    body = bearer(scopes=granted).get(f"/api/v1/key-work/{prisoner.prison_number}").json()
    assert body["latestSession"]["sessionDate"] == expected_day


def test_a_subject_access_request_keeps_every_prison_but_not_sensitive_text_without_the_scope(bearer, leeds):
    from tests.factories.keywork_recording import KeyworkSessionFactory

    moorland = PrisonFactory(code="MDI", name="HMP Moorland")
    prisoner = PrisonerFactory(prison=leeds)
    KeyworkSessionFactory(prisoner=prisoner, prison=moorland, notes="Open, in Moorland")
    KeyworkSessionFactory(prisoner=prisoner, notes="Sensitive text", is_sensitive=True)
    params = {"prn": prisoner.prison_number}
    plain = bearer(scopes=[scopes.READ_SUBJECT_ACCESS], prisons=[leeds]).get("/api/v1/subject-access-request", params)
    assert plain.status_code == 200, plain.content
    rows = plain.json()["content"]["keyWorkSessions"]
    assert sorted((r["prison_id"], r["is_sensitive"], r["notes"] or "") for r in rows) == [
        ("LEI", True, ""),
        ("MDI", False, "Open, in Moorland"),
    ]
    assert b"Sensitive text" not in plain.content
    full = bearer(scopes=[scopes.READ_SUBJECT_ACCESS, scopes.READ_SENSITIVE_NOTES]).get(
        "/api/v1/subject-access-request", params
    )
    assert {r["notes"] for r in full.json()["content"]["keyWorkSessions"]} == {"Open, in Moorland", "Sensitive text"}


# --- #9 Two identical PUTs at the same moment -----------------------------------------------------------------------

PRISONER = {"firstName": "John", "lastName": "Smith", "prisonId": "LEI", "legalStatus": "sentenced"}


def test_the_loser_of_two_identical_puts_is_retried_not_a_400(writer, leeds, monkeypatch):
    from django.db import IntegrityError

    from api import ingest_views
    from cases.models import Prisoner

    real = ingest_views.prisoner_put
    calls = []

    def racing(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            # What the loser's INSERT gets when the other PUT stored the same prisoner after it looked.
            raise IntegrityError("UNIQUE constraint failed: cases_prisoner.prison_number")
        return real(**kwargs)

    assert writer.put(f"/api/v1/prisoners/{NUMBER}", PRISONER, format="json").status_code == 201  # the winner
    monkeypatch.setattr(ingest_views, "prisoner_put", racing)
    response = writer.put(f"/api/v1/prisoners/{NUMBER}", PRISONER, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "unchanged"
    assert len(calls) == 2
    assert Prisoner.objects.filter(pk=NUMBER).count() == 1


def test_a_write_refused_by_the_database_twice_is_a_409_problem(writer, leeds, monkeypatch):
    from django.db import IntegrityError

    from api import ingest_views

    def always_refused(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: cases_prisoner.prison_number")

    monkeypatch.setattr(ingest_views, "prisoner_put", always_refused)
    response = writer.put(f"/api/v1/prisoners/{NUMBER}", PRISONER, format="json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert "prisonNumber" not in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_puts_at_the_same_moment_on_postgresql_both_succeed(api_client_factory, monkeypatch):
    """Real concurrency: both requests look for the prisoner before either has committed; the loser's INSERT waits
    for the winner's commit and is refused by the unique key, then is tried again and finds nothing to change."""
    import threading

    from django.db import connection
    from rest_framework.test import APIClient

    from api.client_services import api_token_issue
    from cases.models import Prisoner
    from integration import ingest_services

    PrisonFactory(code="LEI", name="HMP Leeds")
    client, _ = api_client_factory(scopes=[scopes.WRITE_PRISONERS])
    barrier, local = threading.Barrier(2, timeout=20), threading.local()
    real = ingest_services.prisoner_upsert

    calls = []

    def together(**kwargs):
        calls.append(1)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # both are inside their transaction, neither has looked yet
        return real(**kwargs)

    monkeypatch.setattr(ingest_services, "prisoner_upsert", together)
    results = []

    def put():
        try:
            caller = APIClient()
            caller.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(client=client).access_token}")
            response = caller.put(f"/api/v1/prisoners/{NUMBER}", PRISONER, format="json")
            results.append((response.status_code, response.json().get("outcome")))
        finally:
            connection.close()

    threads = [threading.Thread(target=put) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [(200, "unchanged"), (201, "created")], results
    assert len(calls) == 3  # the loser really was refused by the database and tried once more
    assert Prisoner.objects.filter(pk=NUMBER).count() == 1
