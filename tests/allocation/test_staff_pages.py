"""The POM list in tabs and the POM profile: who sees what, what the rows say, CSV and pinned query counts."""

import csv
import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from allocation.calculations import weighted_load
from allocation.selectors import workload_weights_configured
from cases.models import PomAllocation
from handover.models import CalculatedHandover
from tests.allocation import test_staff_support as support
from tests.allocation.test_staff_support import allocate_directly, make_case, make_pom

pytestmark = pytest.mark.django_db
staff_estate = support.staff_estate


def _url(name, prison, **kwargs):
    return reverse(name, kwargs={"prison_code": prison.code, **kwargs})


@pytest.mark.parametrize(
    ("roles", "read", "manage"),
    [
        (["homd"], 200, 200),
        (["homs"], 200, 200),
        (["pom"], 200, 403),
        (["case_admin"], 200, 403),
        (["key_worker"], 403, 403),
    ],
)
def test_omu_staff_read_and_only_heads_of_omu_manage(
    client, staff_user_factory, prison, staff_estate, roles, read, manage
):
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    ann = staff_estate["ann"]
    assert client.get(_url("pom_list", prison)).status_code == read
    assert client.get(_url("pom_detail", prison, pom_id=ann.pk)).status_code == read
    for name, kwargs in (("pom_edit", {"pom_id": ann.pk}), ("pom_add", {}), ("pom_reallocate", {"pom_id": ann.pk})):
        assert client.get(_url(name, prison, **kwargs)).status_code == manage, name
    response = client.post(_url("pom_edit", prison, pom_id=ann.pk), {"working_pattern": "0.5", "status": "active"})
    assert response.status_code == (302 if manage == 200 else 403)


def test_a_pom_of_another_prison_is_404_through_your_own_prison(client, prison, other_prison, staff_estate):
    elsewhere = make_pom(other_prison, first="Eve", last="Else", username="eve")
    client.force_login(staff_estate["homd"])
    for name in ("pom_detail", "pom_edit", "pom_reallocate", "pom_reallocate_check"):
        assert client.get(_url(name, prison, pom_id=elsewhere.pk)).status_code == 404, name
    assert client.get(_url("pom_list", other_prison)).status_code == 404


def test_the_tabs_sort_poms_by_type_and_status(client, prison, staff_estate):
    unavailable = make_pom(prison, first="Una", last="Vail", status="unavailable", username="una")
    away = make_pom(prison, first="Al", last="Away", status="away", username="al")
    away_idle = make_pom(prison, first="Idle", last="Away", status="away", username="idle")
    allocate_directly(make_case(prison), away)
    client.force_login(staff_estate["homd"])

    def names(tab):
        rows = client.get(_url("pom_list", prison) + f"?tab={tab}").context["rows"]
        return [r.pom.user.username for r in rows]

    assert names("prison") == ["ann", "bob"]
    assert names("probation") == ["cat"]
    assert names("unavailable") == [unavailable.user.username]
    assert names("away") == [away.user.username, away_idle.user.username]
    assert names("attention") == [away.user.username]  # away with cases; the idle one needs nothing


def test_a_closed_account_with_cases_needs_attention(client, prison, staff_estate):
    ann = staff_estate["ann"]
    ann.user.is_active = False
    ann.user.save()
    client.force_login(staff_estate["homd"])
    rows = client.get(_url("pom_list", prison) + "?tab=attention").context["rows"]
    assert [r.pom.pk for r in rows] == [ann.pk]


def test_a_row_counts_cases_by_role_and_tier_with_the_weighted_load(client, prison, staff_estate):
    ann, cat = staff_estate["ann"], staff_estate["cat"]
    # One of Ann's cases has the COM responsible: Ann supports it.
    CalculatedHandover.objects.create(
        prisoner=staff_estate["cases"][0],
        responsibility="Community",
        reason="test",
        policy="test",
        calculated_on=dt.date(2026, 1, 1),
        last_calculated_at=timezone.now(),
        last_changed_at=timezone.now(),
    )
    client.force_login(staff_estate["homd"])
    rows = {r.pom.pk: r for r in client.get(_url("pom_list", prison)).context["rows"]}
    row = rows[ann.pk]
    assert (row.responsible, row.supporting, row.co_working, row.total) == (1, 1, 1, 3)
    assert row.main_tier_counts == [0, 1, 2, 0]
    assert row.other_tiers == 0
    weights = workload_weights_configured()
    expected = weighted_load([("responsible", "C"), ("supporting", "C"), ("co_working", "B")], weights=weights)
    assert row.weighted_load == expected
    assert row.last_allocated_at is not None
    probation = client.get(_url("pom_list", prison) + "?tab=probation").context["rows"][0]
    assert probation.pom.pk == cat.pk
    assert probation.load_per_fte == probation.weighted_load * 2


def test_sorting_by_load_puts_the_heaviest_first(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    rows = client.get(_url("pom_list", prison) + "?tab=prison&sort=load").context["rows"]
    assert [r.pom.user.username for r in rows] == ["ann", "bob"]
    rows = client.get(_url("pom_list", prison) + "?tab=prison&sort=name").context["rows"]
    assert [r.pom.user.username for r in rows] == ["ann", "bob"]


def test_the_csv_has_a_row_per_pom_of_the_tab(client, prison, staff_estate):
    client.force_login(staff_estate["homd"])
    response = client.get(_url("pom_list", prison) + "?tab=prison&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["username"] for r in rows] == ["ann", "bob"]
    assert rows[0]["responsible"] == "2"
    assert rows[0]["co_working"] == "1"
    assert rows[0]["tier_c"] == "2"


def _pom_list_queries(client, prison, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(_url("pom_list", prison)).status_code == 200


def test_the_pom_list_query_count_does_not_grow_with_poms_or_cases(
    client, prison, staff_estate, django_assert_num_queries
):
    client.force_login(staff_estate["homd"])
    client.get(_url("pom_list", prison))  # the session's first touches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(_url("pom_list", prison))
    for n in range(6):
        pom = make_pom(prison, first=f"Extra{n}", last="Pom", username=f"extra{n}")
        for _ in range(3):
            allocate_directly(make_case(prison, tier="ABCD"[n % 4]), pom)
    _pom_list_queries(client, prison, django_assert_num_queries, len(small.captured_queries))
    # Session, user, roles and prisons (with the request savepoints), then the POMs, their case mix and their last
    # allocation dates: 12 however many POMs and cases.
    assert len(small.captured_queries) == 12


def test_the_profile_tabs_show_caseload_handovers_and_parole(client, prison, staff_estate):
    ann = staff_estate["ann"]
    today = timezone.localdate()
    soon, later = staff_estate["cases"]
    CalculatedHandover.objects.create(
        prisoner=soon,
        responsibility="CustodyOnly",
        handover_start_date=today + dt.timedelta(days=10),
        handover_date=today + dt.timedelta(days=30),
        reason="test",
        policy="test",
        calculated_on=today,
        last_calculated_at=timezone.now(),
        last_changed_at=timezone.now(),
    )
    sentence = later.sentence
    sentence.parole_eligibility_date = today + relativedelta(months=9)
    sentence.save()
    client.force_login(staff_estate["homd"])
    url = _url("pom_detail", prison, pom_id=ann.pk)
    caseload = client.get(url + "?tab=caseload").context["cases"]
    assert {c.prisoner.pk for c in caseload} == {soon.pk, later.pk, staff_estate["b1"].pk}
    assert {c.prisoner.pk: c.role for c in caseload}[staff_estate["b1"].pk] == "co_working"
    assert [c.prisoner.pk for c in client.get(url + "?tab=handovers").context["cases"]] == [soon.pk]
    parole = client.get(url + "?tab=parole").context["cases"]
    assert [(c.prisoner.pk, c.parole_date_kind) for c in parole] == [(later.pk, "PED")]
    page = client.get(url).content.decode()
    assert "Ann Able" in page
    assert "Case mix" in page


def test_parole_beyond_ten_months_is_not_listed(client, prison, staff_estate):
    ann = staff_estate["ann"]
    sentence = staff_estate["cases"][0].sentence
    sentence.parole_eligibility_date = timezone.localdate() + relativedelta(months=10, days=1)
    sentence.save()
    client.force_login(staff_estate["homd"])
    assert client.get(_url("pom_detail", prison, pom_id=ann.pk) + "?tab=parole").context["cases"] == []


def test_the_profile_query_count_is_pinned(client, prison, staff_estate, django_assert_num_queries):
    """13 for the caseload tab (session, user, roles, prisons, the POM's workload, last allocation, their cases),
    however many cases they hold."""
    ann = staff_estate["ann"]
    client.force_login(staff_estate["homd"])
    url = _url("pom_detail", prison, pom_id=ann.pk) + "?tab=caseload"
    client.get(url)
    with django_assert_num_queries(13):
        client.get(url)
    for _ in range(5):
        allocate_directly(make_case(prison), ann, role=PomAllocation.Role.PRIMARY)
    with django_assert_num_queries(13):
        assert len(client.get(url).context["cases"]) == 8
