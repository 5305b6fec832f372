"""The national and regional OMiC measures page: read from the snapshots, sortable, with a CSV and a trend."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.models import PrisonMeasureSnapshot
from tests.factories import PrisonFactory

pytestmark = pytest.mark.django_db
URL = "/national/measures/"
# Session, user and roles (3), the prisons with their latest figures (1), the trend (1), the prison switcher's list
# (1), the session save, and the savepoints of ATOMIC_REQUESTS. Pinned, and the same however many prisons or days
# are recorded.
NATIONAL_QUERIES = 11


@pytest.fixture
def viewer(staff_user_factory):
    return staff_user_factory(roles=["national_viewer"], username="national")


def _snap(prison, day, **figures):
    return PrisonMeasureSnapshot.objects.create(prison=prison, date=day, refreshed_at=timezone.now(), **figures)


@pytest.fixture
def estate(prison, other_prison):
    today = timezone.localdate()
    cardiff = PrisonFactory(code="CFI", name="HMP Cardiff", country="wales")
    PrisonFactory(code="BRI", name="HMP Bristol")  # nothing recorded yet
    _snap(prison, today - dt.timedelta(days=1), oasys_overdue=99, unallocated=1)
    _snap(prison, today, oasys_overdue=4, unallocated=3, keywork_sessions=50, keywork_projected=100,
          keywork_delivery_percent=Decimal("50.0"), handover_meetings_due=4, handover_meetings_on_time=3,
          handover_meeting_percent=Decimal("75.0"), poms=5, pom_fte=Decimal("4.5"))  # fmt: skip
    _snap(other_prison, today, oasys_overdue=12, unallocated=0, keywork_sessions=30, keywork_projected=50,
          keywork_delivery_percent=Decimal("60.0"))  # fmt: skip
    _snap(cardiff, today - dt.timedelta(days=2), oasys_overdue=7, unallocated=9)
    return {"cardiff": cardiff}


def test_it_shows_each_prisons_latest_figures(client, viewer, estate):
    client.force_login(viewer)
    response = client.get(URL)
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.context["rows"]}
    assert rows["LEI"]["oasys_overdue"] == 4  # today's, not yesterday's 99
    assert rows["CFI"]["date"] == timezone.localdate() - dt.timedelta(days=2)
    assert rows["BRI"]["date"] is None
    html = response.content.decode()
    assert "No figures recorded yet" in html
    assert "Not today" in html  # Cardiff's figures are two days old
    assert "last worked out" in html
    assert "1 prison with no figures yet" in html


def test_the_url_name_is_the_agreed_one():
    assert reverse("national_measures") == URL


def test_sorting_by_a_measure_worst_first_then_reversed(client, viewer, estate):
    client.force_login(viewer)
    response = client.get(URL, {"sort": "oasys"})
    assert [r["code"] for r in response.context["rows"]] == ["MDI", "CFI", "LEI", "BRI"]
    column = next(c for c in response.context["columns"] if c["key"] == "oasys")
    assert column["aria_sort"] == "descending"
    assert "dir=asc" in column["url"]
    response = client.get(URL, {"sort": "oasys", "dir": "asc"})
    assert [r["code"] for r in response.context["rows"]] == ["LEI", "CFI", "MDI", "BRI"]
    response = client.get(URL, {"sort": "keywork"})  # lowest delivery first
    assert [r["code"] for r in response.context["rows"]][:2] == ["LEI", "MDI"]


def test_unknown_sorts_and_filters_are_ignored(client, viewer, estate):
    client.force_login(viewer)
    response = client.get(URL, {"sort": "DROP TABLE", "dir": "sideways", "country": "france", "estate": "x"})
    assert response.status_code == 200
    assert [r["code"] for r in response.context["rows"]] == ["BRI", "CFI", "LEI", "MDI"]  # by name


def test_a_region_shows_only_its_prisons(client, viewer, estate):
    client.force_login(viewer)
    response = client.get(URL, {"country": "wales"})
    assert [r["code"] for r in response.context["rows"]] == ["CFI"]
    assert [d.unallocated for d in response.context["trend"]] == [9]


def test_the_trend_sums_each_day_and_takes_percentages_of_the_sums(client, viewer, estate):
    client.force_login(viewer)
    trend = client.get(URL).context["trend"]
    today = trend[0]
    assert today.date == timezone.localdate()
    assert today.prisons == 2
    assert today.oasys_overdue == 16
    assert today.keywork_delivery_percent == Decimal("53.3")  # 80 of 150 sessions, not the mean of 50% and 60%
    assert today.handover_meeting_percent == Decimal("75.0")
    assert [d.date for d in trend] == sorted((d.date for d in trend), reverse=True)


def test_the_csv_has_every_measure_in_the_page_order(client, viewer, estate):
    client.force_login(viewer)
    response = client.get(URL, {"sort": "oasys", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["prison_code", "prison_name", "estate", "date", "refreshed_at"]
    assert "keywork_delivery_percent" in rows[0]
    assert "com_allocation_overdue" in rows[0]
    assert [r[0] for r in rows[1:]] == ["MDI", "CFI", "LEI", "BRI"]
    lei = rows[1:][2]
    assert lei[rows[0].index("handover_meeting_percent")] == "75.0"


@pytest.mark.parametrize("roles", [["homd"], ["pom"], ["homs"]])
def test_prison_staff_may_not_open_it(client, prison, staff_user_factory, roles):
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    assert client.get(URL).status_code == 403


def test_a_service_admin_may(client, staff_user_factory):
    client.force_login(staff_user_factory(roles=["service_admin"]))
    assert client.get(URL).status_code == 200


def test_signed_out_goes_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_with_no_snapshots_it_says_so(client, viewer, prison):
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert "No figures have been recorded yet" in html
    assert "No snapshots in the last 4 weeks" in html


def test_the_query_count_is_pinned_and_does_not_grow_with_prisons_or_days(
    client, viewer, estate, django_assert_num_queries
):
    client.force_login(viewer)
    client.get(URL)
    with django_assert_num_queries(NATIONAL_QUERIES):
        assert client.get(URL).status_code == 200
    today = timezone.localdate()
    for i in range(10):
        extra = PrisonFactory(code=f"Z{chr(65 + i)}Z", name=f"HMP Extra {i}")
        for back in range(5):
            _snap(extra, today - dt.timedelta(days=back), unallocated=i)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert len(queries) == NATIONAL_QUERIES
