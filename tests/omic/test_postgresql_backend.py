"""omic.postgresql: the health check makes no round trip while the connection is idle and well, and still finds a
connection the server has ended (a restart, a failover, pg_terminate_backend), so the next request reconnects."""

import time

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def other():
    """A second connection to the test database, as a web process's persistent connection."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def statements_run(wrapper, monkeypatch) -> list:
    """The statements the wrapper's psycopg connection runs from now on (Django's check runs SELECT 1 on a cursor of
    its own, bypassing Django's query log)."""
    statements = []
    real_cursor = type(wrapper.connection).cursor

    def cursor(self, *args, **kwargs):
        psycopg_cursor = real_cursor(self, *args, **kwargs)
        real_execute = psycopg_cursor.execute
        psycopg_cursor.execute = lambda query, *a, **k: statements.append(query) or real_execute(query, *a, **k)
        return psycopg_cursor

    monkeypatch.setattr(type(wrapper.connection), "cursor", cursor)
    return statements


def test_postgresql_runs_on_the_omic_backend():
    assert type(connections["default"]).__module__ == "omic.postgresql.base"
    assert connections["default"].settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_idle_healthy_connection_is_usable_without_a_query(other, monkeypatch):
    statements = statements_run(other, monkeypatch)
    assert other.is_usable() is True
    assert statements == []  # no SELECT 1


@pytest.mark.django_db(transaction=True)  # the NOTIFY is delivered at once, not at the test's rollback
def test_the_check_is_django_s_select_1_where_the_socket_has_something_to_read(other, monkeypatch):
    """Something waiting on the socket (here a notification it listens for) is not a failure by itself: Django's
    SELECT 1 decides, and passes."""
    with other.cursor() as cursor:
        cursor.execute("LISTEN omic_health")
    with connection.cursor() as cursor:
        cursor.execute("NOTIFY omic_health")
    time.sleep(0.2)
    statements = statements_run(other, monkeypatch)
    assert other.is_usable() is True
    assert statements == ["SELECT 1"]


def test_a_connection_the_server_ended_is_not_usable_and_the_next_request_reconnects(other):
    backend = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
        assert cursor.fetchone()[0] is True
    deadline = time.monotonic() + 5
    while other.is_usable() and time.monotonic() < deadline:  # the server's FATAL message is on its way
        time.sleep(0.05)
    assert other.is_usable() is False

    other.health_check_done = False  # a new request, as Django's request_started does
    other.close_if_health_check_failed()
    assert other.connection is None  # closed, not reused
    with other.cursor() as cursor:  # the request's first query reconnects
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != backend
