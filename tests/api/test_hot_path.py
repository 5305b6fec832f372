"""The cheap path of GET /api/v1/handovers/{prisonNumber} (issue #10): the in-process token cache and its
revocation, the one-round-trip rate count, the shared output-serializer fields, the prepared handover query, the
reused Redis client and the content-negotiation fast path. Each keeps the behaviour of the slower code it replaced."""

import datetime as dt
import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from api import scopes, token_cache
from api.client_services import api_client_set_active, digest, token_cache_key
from api.models import ApiToken
from api.read_selectors import handover_row
from api.read_serializers import HandoverSerializer, OutputSerializer
from tests.handover.pages_setup import make_case

URL = "/api/v1/handovers/{}"


@pytest.fixture
def clock(monkeypatch):
    """The token cache's clock, moved by hand."""
    now = {"t": 1000.0}
    monkeypatch.setattr(token_cache, "_clock", lambda: now["t"])
    return now


def _token(caller) -> str:
    return caller._credentials["HTTP_AUTHORIZATION"].split()[1]


# --- the in-process token cache -------------------------------------------------------------------------------------


def test_a_token_seen_lately_needs_neither_the_shared_cache_nor_the_database(
    bearer, prison, clock, django_assert_num_queries
):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert caller.get(URL.format("A1234BC")).status_code == 404  # authenticated; nobody is held
    caches["default"].delete(token_cache_key(digest(_token(caller))))
    with django_assert_num_queries(1):  # the handover query only: the principal came from this process's memory
        assert caller.get(URL.format("A1234BC")).status_code == 404


def test_revocation_in_this_process_applies_at_once(bearer, prison, clock):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert caller.get(URL.format("A1234BC")).status_code == 404
    api_client_set_active(client=caller.api_client, active=False, actor_label="tests")
    assert caller.get(URL.format("A1234BC")).status_code == 401  # no tick of the clock needed


def test_revocation_elsewhere_lapses_here_within_the_local_lifetime(bearer, prison, clock, settings):
    """Another worker process revoked the token: the database row and the shared cache entry are gone, this
    process's copy is not. It is accepted for at most API_TOKEN_LOCAL_CACHE_SECONDS, then refused."""
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 1
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert caller.get(URL.format("A1234BC")).status_code == 404
    token_hash = digest(_token(caller))
    ApiToken.objects.filter(token_hash=token_hash).delete()
    caches["default"].delete(token_cache_key(token_hash))
    clock["t"] += 0.5
    assert caller.get(URL.format("A1234BC")).status_code == 404  # still within the second
    clock["t"] += 0.6
    assert caller.get(URL.format("A1234BC")).status_code == 401


def test_a_remembered_token_still_expires_on_time(api_client_factory, prison, clock, monkeypatch, settings):
    from api import authentication
    from api.client_services import api_token_issue

    client, _ = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    now = timezone.now()
    issued = api_token_issue(client=client, now=now - dt.timedelta(seconds=settings.API_TOKEN_LIFETIME - 5))
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.access_token}")
    assert caller.get(URL.format("A1234BC")).status_code == 404  # five seconds left: remembered now
    assert token_cache.get(digest(issued.access_token)) is not None

    class Later:
        @staticmethod
        def now():
            return now + dt.timedelta(seconds=6)

    monkeypatch.setattr(authentication, "timezone", Later)
    assert caller.get(URL.format("A1234BC")).status_code == 401  # remembered, but past its expiry


def test_the_local_cache_can_be_switched_off(bearer, prison, clock, settings):
    settings.API_TOKEN_LOCAL_CACHE_SECONDS = 0
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert caller.get(URL.format("A1234BC")).status_code == 404
    assert token_cache.get(digest(_token(caller))) is None


def test_each_request_gets_its_own_copy_of_the_user(bearer, prison, clock):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    caller.get(URL.format("A1234BC"))
    token_hash = digest(_token(caller))
    first, second = token_cache.get(token_hash), token_cache.get(token_hash)
    assert first[0] == second[0]
    assert first[0] is not second[0]
    assert first[1] == second[1]


def test_the_local_cache_is_bounded(monkeypatch, clock):
    monkeypatch.setattr(token_cache, "MAX_ENTRIES", 3)
    for n in range(5):
        token_cache.put(f"h{n}", ("user", n))
    assert [token_cache.get(f"h{n}") for n in range(5)] == [None, None, ("user", 2), ("user", 3), ("user", 4)]


# --- the rate count -------------------------------------------------------------------------------------------------


def _redis_cache(location: str):
    from omic.cache import FailSoftRedisCache

    return FailSoftRedisCache(location, {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}})


def test_the_rate_count_on_redis_is_one_pipelined_round_trip(monkeypatch, settings):
    from api import throttling

    if not getattr(settings, "REDIS_URL", ""):
        pytest.skip("needs Redis (REDIS_URL)")
    backend = _redis_cache(settings.REDIS_URL)
    monkeypatch.setattr(throttling, "caches", {"default": backend})
    backend.delete("api:rate:test")
    sent = []
    client_class = type(backend._cache.get_client(write=True).pipeline())
    original = client_class.execute

    def execute(self, *args, **kwargs):
        sent.append(len(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(client_class, "execute", execute)
    monkeypatch.setattr(backend, "add", lambda *a, **k: pytest.fail("add-then-incr used on Redis"))
    assert [throttling._count("api:rate:test", 60) for _ in range(3)] == [1, 2, 3]
    assert sent == [2, 2, 2]  # INCR and EXPIRE NX, together
    ttl = backend._cache.get_client().ttl(backend.make_and_validate_key("api:rate:test"))
    assert 60 < ttl <= 65
    backend.delete("api:rate:test")


def test_the_rate_count_fails_soft_with_redis_down(monkeypatch):
    from api import throttling

    monkeypatch.setattr(throttling, "caches", {"default": _redis_cache("redis://127.0.0.1:1/0")})
    assert throttling._count("api:rate:down", 60) == 1


def test_the_rate_count_without_redis_still_counts(monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    from api import throttling

    monkeypatch.setattr(throttling, "caches", {"default": LocMemCache("rate-test", {})})
    assert [throttling._count("api:rate:x", 60) for _ in range(3)] == [1, 2, 3]


def test_the_redis_cache_keeps_one_client_per_pool():
    backend = _redis_cache("redis://127.0.0.1:1/0")
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


# --- the output serializer ------------------------------------------------------------------------------------------

HANDOVER = {
    "prison_number": "A1234BC", "prison_code": "LEI", "inside_omic_policy": True,
    "handover_start_date": dt.date(2027, 1, 2), "handover_date": dt.date(2027, 2, 3), "responsibility": "POM",
    "responsibility_detail": "CustodyOnly", "com_supporting": False, "responsibility_overridden": False,
    "responsible_person": {"kind": "POM", "name": "Jane Smith", "email": "jane@x.gov.uk"},
    "com": {"kind": "LDU", "name": "Leeds LDU", "email": None}, "reason": "determinate", "policy": "current",
    "handover_type": "standard", "earliest_release_date": None, "earliest_release_type": "CRD", "source": "stored",
    "calculated_on": dt.date(2026, 11, 26),
}  # fmt: skip


class PlainHandoverSerializer(serializers.Serializer):
    """DRF's own serializer with the same fields: fresh deep copies every time."""


PlainHandoverSerializer._declared_fields = HandoverSerializer._declared_fields


@pytest.mark.parametrize(
    "changes",
    [{}, {"responsible_person": None, "com": None, "responsibility": None, "handover_date": None},
     {"inside_omic_policy": False, "responsibility_detail": None, "source": "calculated"}],
)  # fmt: skip
def test_the_shared_fields_give_exactly_drfs_json(changes):
    data = {**HANDOVER, **changes}
    assert json.dumps(HandoverSerializer(data).data) == json.dumps(PlainHandoverSerializer(data).data)


def test_the_fields_are_bound_once_per_class():
    assert HandoverSerializer(HANDOVER).fields is HandoverSerializer(HANDOVER).fields
    assert issubclass(HandoverSerializer, OutputSerializer)
    assert list(HandoverSerializer(HANDOVER).data) == list(PlainHandoverSerializer(HANDOVER).data)


# --- the prepared handover query ------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_handover_query_is_prepared_once_per_connection(prison):
    prisoner = make_case(prison=prison)
    for _ in range(3):
        assert handover_row(prison_number=prisoner.prison_number, prison_codes={"LEI"})["prison_code"] == "LEI"
    assert handover_row(prison_number=prisoner.prison_number, prison_codes={"XYZ"}) is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%handover_calc%"])
        assert cursor.fetchone()[0] == 1
    assert connection.connection.prepare_threshold is None  # Django's setting, back as it was


def test_a_logged_handover_query_shows_its_sql(prison):
    from django.test.utils import CaptureQueriesContext

    prisoner = make_case(prison=prison)
    with CaptureQueriesContext(connection) as queries:
        assert handover_row(prison_number=prisoner.prison_number, prison_codes=None) is not None
    assert len(queries.captured_queries) == 1
    assert prisoner.prison_number in queries.captured_queries[0]["sql"]


def test_the_handover_query_answers_alike_without_preparing(prison, monkeypatch):
    from api import read_selectors

    prisoner = make_case(prison=prison)
    prepared = handover_row(prison_number=prisoner.prison_number, prison_codes=None)
    monkeypatch.setattr(read_selectors, "_prepared_cursor_factory", lambda: None)
    assert handover_row(prison_number=prisoner.prison_number, prison_codes=None) == prepared
    assert handover_row(prison_number=prisoner.prison_number, prison_codes=frozenset()) is None


# --- content negotiation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/*, text/html;q=0.5"])
def test_json_is_served_for_what_drf_would_serve_it(bearer, prison, accept):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    prisoner = make_case(prison=prison)
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = caller.get(URL.format(prisoner.prison_number), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_accept_parameters_still_go_through_drf(bearer, prison):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    prisoner = make_case(prison=prison)
    response = caller.get(URL.format(prisoner.prison_number), HTTP_ACCEPT="application/json; indent=2")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content.startswith(b'{\n  "prisonNumber"')  # indented: DRF's negotiation saw the parameter


def test_a_type_no_renderer_makes_is_still_406(bearer, prison):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    prisoner = make_case(prison=prison)
    assert caller.get(URL.format(prisoner.prison_number), HTTP_ACCEPT="text/html").status_code == 406
