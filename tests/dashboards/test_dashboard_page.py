"""The HOMD dashboard page: who may open it, what it shows, and a query count that does not grow with the unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards.dashboard_setup import fresh_cache, make_unit  # noqa: F401 (autouse fixture)
from tests.factories.keywork import KeyworkConfigurationFactory

pytestmark = pytest.mark.django_db

# Session, user, prison and roles (4); POM workloads (2); early allocation, parole and overdue tasks (1 each);
# allocation counts and the longest wait (2); handover counts (1); key work: the setting (1), today's live figures
# worked out once for both tiles (5, keywork.kpi_selectors.daily_figures) and the week's and the month's snapshots and
# session counts (2 each); the request's savepoint and its release (ATOMIC_REQUESTS) and the rest of the session's
# reads. Pinned: a change shows here first.
DASHBOARD_QUERIES = 27
# From the cache: only the request's own reads (session, user, prison, roles, the savepoints and the session save).
CACHED_QUERIES = 9


def _url(prison):
    return reverse("homd_dashboard", kwargs={"prison_code": prison.code})


def test_the_head_of_omu_sees_every_section_and_the_distribution(client, prison, homd_user):
    make_unit(prison)
    client.force_login(homd_user)
    response = client.get(_url(prison))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Allocation", "Handovers", "Early allocation and parole", "Tasks overdue", "Key work and POMs"):
        assert f'<h2 class="govuk-heading-m">{heading}</h2>' in html
    assert 'data-testid="distribution-chart"' in html
    assert 'role="img"' in html
    assert "Priya Adams" in html
    assert "Paul Baker" in html
    assert "Figures worked out at" in html


def test_the_distribution_table_splits_each_pom_by_tier_and_role(client, prison, homd_user):
    make_unit(prison)
    client.force_login(homd_user)
    response = client.get(_url(prison))
    rows = {r["workload"].pom.user.last_name: r for r in response.context["rows"]}
    assert response.context["tier_headings"] == ["C"]
    assert response.context["role_headings"] == ["Responsible", "Supporting", "Co-working"]
    assert rows["Adams"]["tiers"] == [2]
    assert rows["Adams"]["roles"] == [1, 0, 1]
    assert rows["Baker"]["roles"] == [1, 1, 0]
    assert str(rows["Baker"]["workload"].per_fte) == "3.40"  # (1.0 + 0.7) / 0.5 FTE
    assert rows["Okoro"]["roles"] == [0, 1, 0]


def test_homs_may_open_it(client, prison, staff_user_factory):
    client.force_login(staff_user_factory(roles=["homs"], prisons=[prison]))
    assert client.get(_url(prison)).status_code == 200


def test_a_pom_may_not(client, prison, pom_user):
    client.force_login(pom_user)
    assert client.get(_url(prison)).status_code == 403


def test_another_prisons_homd_gets_404(client, prison, other_prison, staff_user_factory):
    make_unit(prison)
    client.force_login(staff_user_factory(roles=["homd"], prisons=[other_prison]))
    assert client.get(_url(prison)).status_code == 404
    assert client.get(_url(other_prison)).status_code == 200


def test_signed_out_goes_to_sign_in(client, prison):
    response = client.get(_url(prison))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_query_count_is_pinned_and_does_not_grow_with_the_unit(
    client, prison, homd_user, django_assert_num_queries
):
    KeyworkConfigurationFactory(prison=prison, is_enabled=True)
    make_unit(prison)
    client.force_login(homd_user)
    client.get(_url(prison))  # warm the session
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(_url(prison), {"refresh": "1"}).status_code == 200
    make_unit(prison, scale=4, tag="more")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(prison), {"refresh": "1"}).status_code == 200
    assert len(queries) == DASHBOARD_QUERIES
    with django_assert_num_queries(CACHED_QUERIES):  # the figures kept from the last request
        assert client.get(_url(prison)).status_code == 200


def test_the_figures_are_kept_briefly_and_refreshed_on_request(client, prison, homd_user):
    unit = make_unit(prison)
    client.force_login(homd_user)
    first = client.get(_url(prison)).context["board"]
    unit["to_allocate"][0].delete()
    kept = client.get(_url(prison)).context["board"]
    assert kept.worked_out_at == first.worked_out_at
    assert kept.tile("to_allocate").count == 2  # as worked out at the time the page shows
    fresh = client.get(_url(prison), {"refresh": "1"}).context["board"]
    assert fresh.tile("to_allocate").count == 1
    assert fresh.worked_out_at > first.worked_out_at
    assert client.get(_url(prison)).context["board"].worked_out_at == fresh.worked_out_at


def test_each_prison_keeps_its_own_figures(client, prison, other_prison, staff_user_factory):
    make_unit(prison)
    homd = staff_user_factory(roles=["homd"], prisons=[prison, other_prison])
    client.force_login(homd)
    assert client.get(_url(prison)).context["board"].tile("to_allocate").count == 2
    assert client.get(_url(other_prison)).context["board"].tile("to_allocate").count == 0


def test_with_no_cache_time_the_figures_are_always_live(client, prison, homd_user, settings):
    settings.HOMD_DASHBOARD_CACHE_SECONDS = 0
    unit = make_unit(prison)
    client.force_login(homd_user)
    client.get(_url(prison))
    unit["to_allocate"][0].delete()
    assert client.get(_url(prison)).context["board"].tile("to_allocate").count == 1
