"""The handover list pages, the alerts page, the community pipeline and the policy preview: who sees what, sorting,
CSV, counts and query counts."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import LocalDeliveryUnitFactory, PomProfileFactory, PrisonFactory
from tests.factories.handover import AlertFactory, ResponsibilityOverrideFactory
from tests.handover.pages_setup import COMMUNITY, TODAY, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == TODAY
        yield


def url(name, prison, **params):
    base = reverse(name, kwargs={"prison_code": prison.code})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def rows_of(response):
    return [row.prisoner_id for row in response.context["page"].object_list]


def csv_of(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def caseload(prison, pom_user):
    """The POM's own three cases (two upcoming, one overdue COM) and another POM's upcoming case."""
    mine = PomProfileFactory(user=pom_user, prison=prison)
    theirs = PomProfileFactory(prison=prison)
    return {
        "mine": mine,
        "theirs": theirs,
        "soon": make_case(prison=prison, days=3, pom=mine, prisoner_kwargs={"last_name": "Zed"}),
        "later": make_case(prison=prison, days=40, pom=mine, prisoner_kwargs={"last_name": "Abbot"}),
        "overdue": make_case(prison=prison, days=-5, responsibility=COMMUNITY, pom=mine),
        "other": make_case(prison=prison, days=10, pom=theirs),
    }


@pytest.mark.parametrize(
    ("roles", "own", "prison_wide", "alerts"),
    [
        (["pom"], 200, 403, 403),
        (["homd"], 302, 200, 200),
        (["homs"], 302, 200, 200),
        (["case_admin"], 403, 403, 403),
        (["key_worker"], 403, 403, 403),
    ],
)
def test_who_may_see_which_list(client, staff_user_factory, prison, roles, own, prison_wide, alerts):
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    assert client.get(url("handover_list", prison)).status_code == own
    assert client.get(url("handover_list_prison", prison)).status_code == prison_wide
    assert client.get(url("handover_alert_list", prison)).status_code == alerts


def test_another_prisons_lists_are_404(client, homd_user, other_prison):
    client.force_login(homd_user)
    for name in ("handover_list", "handover_list_prison", "handover_alert_list"):
        assert client.get(url(name, other_prison)).status_code == 404


def test_a_pom_sees_their_own_cases_with_counts_that_match_the_lists(client, pom_user, prison, caseload):
    client.force_login(pom_user)
    response = client.get(url("handover_list", prison))
    assert rows_of(response) == [caseload["soon"].pk, caseload["later"].pk]
    counts = {t["key"]: t["count"] for t in response.context["tabs"]}
    for tab, count in counts.items():
        assert len(rows_of(client.get(url("handover_list", prison, tab=tab)))) == count
    assert counts == {"upcoming": 2, "in_progress": 1, "overdue_tasks": 1, "com_overdue": 1}
    assert 'aria-current="page" data-testid="tab-upcoming">Upcoming (2)' in response.content.decode()


def test_sorting_by_name_and_unknown_sorts_fall_back_to_the_handover_date(client, pom_user, prison, caseload):
    client.force_login(pom_user)
    assert rows_of(client.get(url("handover_list", prison, sort="name"))) == [
        caseload["later"].pk,
        caseload["soon"].pk,
    ]
    assert rows_of(client.get(url("handover_list", prison, sort="nonsense"))) == [
        caseload["soon"].pk,
        caseload["later"].pk,
    ]


def test_the_csv_is_the_current_view(client, pom_user, prison, caseload):
    client.force_login(pom_user)
    response = client.get(url("handover_list", prison, tab="upcoming", sort="name", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    lines = csv_of(response)
    assert lines[0][:6] == [
        "prison_number",
        "last_name",
        "first_name",
        "handover_start_date",
        "handover_date",
        "days_to_handover",
    ]
    assert [line[0] for line in lines[1:]] == [caseload["later"].pk, caseload["soon"].pk]
    assert lines[2][5] == "3"


def test_the_homd_sees_the_prison_or_one_pom(client, homd_user, prison, caseload):
    client.force_login(homd_user)
    assert set(rows_of(client.get(url("handover_list_prison", prison)))) == {
        caseload["soon"].pk,
        caseload["later"].pk,
        caseload["other"].pk,
    }
    one = client.get(url("handover_list_prison", prison, pom=caseload["theirs"].pk))
    assert rows_of(one) == [caseload["other"].pk]
    assert one.context["pom"] == caseload["theirs"]
    # A POM of another prison is no filter at all: the prison's list.
    stranger = PomProfileFactory(prison=PrisonFactory(code="BRI"))
    assert len(rows_of(client.get(url("handover_list_prison", prison, pom=stranger.pk)))) == 3


def test_an_override_shows_as_a_badge_on_the_list(client, homd_user, prison, caseload):
    ResponsibilityOverrideFactory(prisoner=caseload["soon"])
    client.force_login(homd_user)
    response = client.get(url("handover_list_prison", prison, tab="in_progress"))
    assert caseload["soon"].pk in rows_of(response)
    assert "Overridden to COM" in response.content.decode()


def test_the_list_page_takes_the_same_queries_whatever_the_caseload(
    client, pom_user, prison, caseload, django_assert_num_queries
):
    client.force_login(pom_user)
    target = url("handover_list", prison)
    client.get(target)  # warm the session
    # session, user, prisons, roles, alerts, counts, page count, rows; the session's save; 4 savepoints
    with django_assert_num_queries(13):
        client.get(target)
    for days in range(5, 25, 2):
        make_case(prison=prison, days=days, pom=caseload["mine"], com=days % 3 == 0)
    with django_assert_num_queries(13):
        response = client.get(target)
    assert len(rows_of(response)) > 5


def test_the_homd_list_page_takes_the_same_queries_whatever_the_caseload(
    client, homd_user, prison, caseload, django_assert_num_queries
):
    client.force_login(homd_user)
    target = url("handover_list_prison", prison, pom=caseload["mine"].pk)
    client.get(target)
    # as the POM's page, with the POM filter and the POM list instead of the alerts
    with django_assert_num_queries(14):
        client.get(target)
    for days in range(5, 25, 2):
        make_case(prison=prison, days=days, pom=caseload["mine"])
    with django_assert_num_queries(14):
        client.get(target)


def test_a_pom_sees_the_open_alerts_on_their_cases(client, pom_user, prison, caseload):
    AlertFactory(prisoner=caseload["soon"], message="Handover soon, no COM")
    AlertFactory(prisoner=caseload["other"], message="Not yours")
    client.force_login(pom_user)
    page = client.get(url("handover_list", prison)).content.decode()
    assert "Handover soon, no COM" in page
    assert "Not yours" not in page


def test_the_homd_filters_the_prisons_alerts_by_kind(client, homd_user, prison, caseload):
    AlertFactory(prisoner=caseload["soon"], kind="handover_upcoming")
    AlertFactory(prisoner=caseload["overdue"], kind="com_allocation_overdue")
    client.force_login(homd_user)
    everything = client.get(url("handover_alert_list", prison))
    assert everything.context["page"].paginator.count == 2
    assert everything.context["counts"]["com_allocation_overdue"] == 1
    overdue = client.get(url("handover_alert_list", prison, kind="com_allocation_overdue"))
    assert [a.prisoner_id for a in overdue.context["page"].object_list] == [caseload["overdue"].pk]


def test_the_community_pipeline_names_cases_to_managers_and_counts_to_national_viewers(
    client, staff_user_factory, homd_user, prison, other_prison
):
    ldu = LocalDeliveryUnitFactory(code="N01", name="North", probation_region="North East")
    here = make_case(prison=prison, days=20)
    there = make_case(prison=other_prison, days=20)
    for prisoner in (here, there):
        prisoner.case_information.local_delivery_unit = ldu
        prisoner.case_information.save()
    pipeline = reverse("community_pipeline")

    client.force_login(homd_user)
    summary = client.get(pipeline)
    assert [(r["code"], r["cases"]) for r in summary.context["summary"]["ldus"]] == [("N01", 1)]
    cases = client.get(pipeline + "?ldu=N01")
    assert rows_of(cases) == [here.pk]
    lines = csv_of(client.get(pipeline + "?region=North East&format=csv"))
    assert [line[0] for line in lines[1:]] == [here.pk]

    client.force_login(staff_user_factory(roles=["national_viewer"]))
    national = client.get(pipeline)
    assert [(r["code"], r["cases"]) for r in national.context["summary"]["ldus"]] == [("N01", 2)]
    assert here.pk not in national.content.decode()
    assert client.get(pipeline + "?ldu=N01").status_code == 403

    client.force_login(staff_user_factory(roles=["pom"], prisons=[prison]))
    assert client.get(pipeline).status_code == 403


def test_the_policy_preview_is_for_service_admins_and_homds(
    client, staff_user_factory, homd_user, prison, other_prison
):
    # The stored result (from the factory) is not what the engine says for this sentence: the preview lists it.
    changed = make_case(prison=prison, days=20)
    preview = reverse("handover_policy_preview")
    client.force_login(homd_user)
    page = client.get(preview)
    assert page.status_code == 200
    assert [code for code, _ in page.context["form"].fields["prison"].choices] == [prison.code]
    response = client.get(preview + f"?policy=current&prison={prison.code}")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [row.prison_number for row in rows] == [changed.pk]
    assert "Handover date" in [d.label for d in rows[0].differences]
    # A HOMD cannot preview a prison they do not work in.
    refused = client.get(preview + f"?policy=current&prison={other_prison.code}")
    assert "prison" in refused.context["form"].errors

    client.force_login(staff_user_factory(roles=["service_admin"]))
    choices = [code for code, _ in client.get(preview).context["form"].fields["prison"].choices]
    assert choices[0] == ""
    assert {prison.code, other_prison.code} <= set(choices)
    assert client.get(preview + "?policy=no-such-policy").context["form"].errors["policy"]

    client.force_login(staff_user_factory(roles=["pom"], prisons=[prison]))
    assert client.get(preview).status_code == 403


def test_the_home_pages_show_the_handover_counts_with_links(client, pom_user, homd_user, prison, caseload):
    client.force_login(pom_user)
    home = client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).content.decode()
    assert 'data-testid="count-upcoming">2<' in home
    assert 'data-testid="count-com_overdue">1<' in home
    assert url("handover_list", prison) + "?tab=upcoming" in home
    client.force_login(homd_user)
    home = client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).content.decode()
    assert 'data-testid="count-upcoming">3<' in home
    assert url("handover_list_prison", prison) + "?tab=com_overdue" in home


@pytest.mark.parametrize(
    ("roles", "shown"),
    [(["pom"], True), (["homd"], True), (["case_admin"], False), (["key_worker"], False)],
)
def test_the_handovers_nav_item_is_shown_to_poms_and_managers(client, staff_user_factory, prison, roles, shown):
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    labels = [item["label"] for item in client.get(url("prisoner_list", prison)).context["nav_items"]]
    assert ("Handovers" in labels) is shown
