"""The dashboards with a replica configured: they render, their figures are read from the replica, and a user who has
just written reads the primary instead. The replica is a TEST MIRROR of the test database (tests/deploy/conftest.py),
so the rows must be committed for it to see them: these tests run outside a test transaction."""

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.dashboard_selectors import homd_dashboard
from omic.db_router import PIN_COOKIE, REPLICA
from tests.dashboards.dashboard_setup import make_unit

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _get(client, url):
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(url)
    return response, len(on_replica), len(on_primary)


def test_the_homd_dashboard_reads_its_figures_from_the_replica(replica_router, client, prison, homd_user):
    make_unit(prison)
    client.force_login(homd_user)
    url = reverse("homd_dashboard", kwargs={"prison_code": prison.code}) + "?refresh=1"

    response, on_replica, on_primary = _get(client, url)
    assert response.status_code == 200
    assert PIN_COOKIE not in response.cookies  # reading pins nothing (the session saved after it is not a write)
    html = response.content.decode()
    assert "Priya Adams" in html
    assert 'data-testid="distribution-chart"' in html
    assert on_primary > 0  # the session, the user and the prison are read from the primary
    # Every query the figures take (the tiles and the workloads) went to the replica: as many as the board takes
    # when worked out directly, outside use_replica(), on the primary.
    with CaptureQueriesContext(connections["default"]) as direct:
        homd_dashboard(prison=prison, today=timezone.localdate())
    assert on_replica == len(direct) > 10

    # Without the router the same page reads nothing from the replica, and shows the same figures.
    replica_router.DATABASE_ROUTERS = []
    plain, none_on_replica, _ = _get(client, url)
    assert none_on_replica == 0
    assert plain.context["board"].sections == response.context["board"].sections


def test_after_a_post_the_user_reads_the_primary_for_the_pin_window(replica_router, client, prison, homd_user):
    make_unit(prison)
    client.force_login(homd_user)
    url = reverse("homd_dashboard", kwargs={"prison_code": prison.code}) + "?refresh=1"

    posted = client.post(url)  # any unsafe request pins, whatever the view does with it
    assert posted.status_code < 500
    assert PIN_COOKIE in posted.cookies

    response, on_replica, _ = _get(client, url)
    assert response.status_code == 200
    assert on_replica == 0

    del client.cookies[PIN_COOKIE]  # what the browser does when the cookie's max-age is over
    _, on_replica, _ = _get(client, url)
    assert on_replica > 0


def test_the_national_measures_and_their_csv_read_the_replica(replica_router, client, staff_user_factory, prison):
    client.force_login(staff_user_factory(roles=["national_viewer"], username="national"))
    response, on_replica, _ = _get(client, "/national/measures/")
    assert response.status_code == 200
    assert on_replica == 2  # the prisons with their latest figures, and the trend
    csv, on_replica, _ = _get(client, "/national/measures/?format=csv")
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert on_replica == 1  # the prisons with their latest figures
