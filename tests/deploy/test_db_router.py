"""The read-replica router: which database each read goes to, and the pin that keeps a user on the primary."""

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from cases.models import Prison, Prisoner
from omic import db_router
from omic.db_router import (
    PIN_COOKIE,
    REPLICA,
    ReplicaPinMiddleware,
    pin_primary,
    read_database,
    replica_configured,
    use_replica,
)

NOW = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """The router's clock, moved by hand."""
    state = {"now": NOW}
    monkeypatch.setattr(db_router, "_now", lambda: state["now"])
    return state


@pytest.fixture(autouse=True)
def no_pin_left_over():
    """Each test starts with no pin in its context (pins outside a request live in the context, like a task's)."""
    token = db_router._pin.set(None)
    yield
    db_router._pin.reset(token)


def _view_reading(seen, *, write=False):
    """A view that records where a dashboard read would go, optionally after a write (an UPDATE of no rows)."""

    def view(request):
        if write:
            Prison.objects.filter(code="NONE").update(name="Nowhere")
        with use_replica():
            seen.append(read_database())
        return HttpResponse("ok")

    return view


def test_without_the_router_nothing_changes(settings):
    settings.DATABASE_ROUTERS = []
    assert not replica_configured()
    with use_replica():
        assert read_database() == "default"
        assert router.db_for_read(Prisoner) == "default"
    response = ReplicaPinMiddleware(lambda r: HttpResponse())(RequestFactory().post("/"))
    assert PIN_COOKIE not in response.cookies


def test_reads_go_to_the_replica_only_inside_use_replica(replica_router, clock):
    assert replica_configured()
    assert router.db_for_read(Prisoner) == "default"
    with use_replica():
        assert router.db_for_read(Prisoner) == REPLICA
    assert router.db_for_read(Prisoner) == "default"


def test_writes_always_go_to_the_primary(replica_router, clock):
    with use_replica():
        assert router.db_for_write(Prisoner) == "default"


def test_a_pin_keeps_reads_on_the_primary_for_the_window(replica_router, clock):
    pin_primary()
    with use_replica():
        assert router.db_for_read(Prisoner) == "default"
        clock["now"] += 9.9
        assert read_database() == "default"
        clock["now"] += 0.2  # past REPLICA_PIN_SECONDS (10)
        assert read_database() == REPLICA


def test_the_pin_window_is_a_setting(replica_router, clock):
    replica_router.REPLICA_PIN_SECONDS = 2
    pin_primary()
    clock["now"] += 2.1
    with use_replica():
        assert read_database() == REPLICA


@pytest.mark.django_db
def test_a_transaction_opened_in_the_block_reads_the_primary(replica_router, clock):
    with use_replica():
        assert read_database() == REPLICA
        with transaction.atomic():
            assert read_database() == "default"
            assert router.db_for_read(Prisoner) == "default"
        assert read_database() == REPLICA


@pytest.mark.django_db
def test_the_transaction_around_the_whole_request_does_not_count(replica_router, clock):
    # ATOMIC_REQUESTS wraps every view in a transaction; the block starts inside it.
    with transaction.atomic(), use_replica():
        assert read_database() == REPLICA


def test_a_request_that_posts_pins_the_browser_for_the_window(replica_router, clock):
    seen = []
    middleware = ReplicaPinMiddleware(_view_reading(seen))
    factory = RequestFactory()

    assert PIN_COOKIE not in middleware(factory.get("/")).cookies
    assert seen == [REPLICA]  # an unpinned user reads the replica

    posted = middleware(factory.post("/"))
    cookie = posted.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    assert seen[-1] == REPLICA  # nothing was written before the read in that request

    pinned = factory.get("/")
    pinned.COOKIES[PIN_COOKIE] = cookie.value
    middleware(pinned)
    assert seen[-1] == "default"  # the user's next read sees their own write

    clock["now"] += 10.5
    later = factory.get("/")
    later.COOKIES[PIN_COOKIE] = cookie.value
    middleware(later)
    assert seen[-1] == REPLICA  # after the window, back to the replica


@pytest.mark.django_db
def test_a_write_in_a_get_request_pins_the_rest_of_it_and_the_next(replica_router, clock):
    seen = []
    response = ReplicaPinMiddleware(_view_reading(seen, write=True))(RequestFactory().get("/"))
    assert seen == ["default"]
    assert PIN_COOKIE in response.cookies


@pytest.mark.django_db
def test_building_an_unsaved_object_is_not_a_write(replica_router, clock, prison):
    # Django asks the router's db_for_write when a related object is set on an unsaved instance: not a write.
    seen = []

    def view(request):
        Prisoner(prison=prison, prison_number="A1234BC")
        with use_replica():
            seen.append(read_database())
        return HttpResponse()

    response = ReplicaPinMiddleware(view)(RequestFactory().get("/"))
    assert seen == [REPLICA]
    assert PIN_COOKIE not in response.cookies


@pytest.mark.django_db
def test_one_users_pin_does_not_leak_to_the_next_request(replica_router, clock):
    seen = []
    ReplicaPinMiddleware(_view_reading(seen, write=True))(RequestFactory().get("/"))
    ReplicaPinMiddleware(_view_reading(seen))(RequestFactory().get("/"))
    assert seen == ["default", REPLICA]


def _signed(value: str) -> str:
    response = HttpResponse()
    response.set_signed_cookie(PIN_COOKIE, value, salt=PIN_COOKIE)
    return response.cookies[PIN_COOKIE].value


@pytest.mark.parametrize(
    "value",
    [
        str(NOW + 3600),  # unsigned: made up
        _signed(str(NOW + 3600))[:-1] + "x",  # signature tampered with
        "not-a-time",
        "",
        _signed(str(NOW - 1)),  # signed but over
    ],
)
def test_a_made_up_tampered_or_stale_cookie_does_not_pin(replica_router, clock, value):
    seen = []
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = value
    ReplicaPinMiddleware(_view_reading(seen))(request)
    assert seen == [REPLICA]


def test_the_replica_is_never_migrated(replica_router):
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate("default", "cases") is True
