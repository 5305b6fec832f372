"""The three allocation lists: who is on which, days waiting, search, filters, sorting, CSV and query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from allocation.list_selectors import ALLOCATED, MISSING_DETAILS, TO_ALLOCATE, allocation_list, allocation_list_counts
from cases.models import Prison
from tests.factories import CaseInformationFactory, PrisonerFactory
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import StoredHandoverFactory

pytestmark = pytest.mark.django_db


def _numbers(qs):
    return {p.prison_number for p in qs}


@pytest.fixture
def estate(prison, poms):
    today = timezone.localdate()
    ready = ready_case(prison=prison, tier="B", last_name="Ready", prison_arrival_date=today - dt.timedelta(days=10))
    no_tier = ready_case(prison=prison, tier="", last_name="Notier")
    no_case = PrisonerFactory(prison=prison, last_name="Nocase")
    remand = PrisonerFactory(prison=prison, last_name="Remand", legal_status="remand")
    CaseInformationFactory(prisoner=remand, tier="D")  # D-13: remand may be allocated; no sentence needed
    sentenced_no_sentence = PrisonerFactory(prison=prison, last_name="Nosentence")
    CaseInformationFactory(prisoner=sentenced_no_sentence)
    allocated = ready_case(prison=prison, tier="A", last_name="Allocated")
    PomAllocationFactory(prisoner=allocated, pom=poms["probation"])
    # Deallocated 2 days ago: waits from then, not from arrival.
    reallocatable = ready_case(
        prison=prison, tier="C", last_name="Again", prison_arrival_date=today - dt.timedelta(days=300)
    )
    now = timezone.now()
    PomAllocationFactory(
        prisoner=reallocatable,
        pom=poms["prison_a"],
        allocated_at=now - dt.timedelta(days=30),
        ended_at=now - dt.timedelta(days=2),
        end_trigger="user",
    )
    return locals()


def test_every_case_is_on_exactly_one_list(prison, estate):
    to_allocate = _numbers(allocation_list(prison=prison, which=TO_ALLOCATE))
    missing = _numbers(allocation_list(prison=prison, which=MISSING_DETAILS))
    allocated = _numbers(allocation_list(prison=prison, which=ALLOCATED))
    e = estate
    assert to_allocate == {e["ready"].pk, e["remand"].pk, e["reallocatable"].pk}
    assert missing == {e["no_tier"].pk, e["no_case"].pk, e["sentenced_no_sentence"].pk}
    assert allocated == {e["allocated"].pk}
    assert allocation_list_counts(prison=prison) == {TO_ALLOCATE: 3, MISSING_DETAILS: 3, ALLOCATED: 1}


def test_the_womens_estate_also_needs_the_complexity_of_need(prison, estate):
    Prison.objects.filter(pk=prison.pk).update(estate=Prison.Estate.WOMENS)
    prison.refresh_from_db()
    assert estate["ready"].pk in _numbers(allocation_list(prison=prison, which=MISSING_DETAILS))
    estate["ready"].case_information.womens_complexity = "high"
    estate["ready"].case_information.save()
    assert estate["ready"].pk in _numbers(allocation_list(prison=prison, which=TO_ALLOCATE))


def test_days_waiting_on_the_page_and_sorted_longest_first(client, homd_user, prison, estate):
    client.force_login(homd_user)
    response = client.get(reverse("allocation_to_allocate", kwargs={"prison_code": prison.code}))
    rows = {r["prisoner"].last_name: r["days_waiting"] for r in response.context["rows"]}
    assert rows["Ready"] == 10
    assert rows["Again"] == 2
    names = [r["prisoner"].last_name for r in response.context["rows"]]
    assert names.index("Ready") < names.index("Again")


def test_search_filter_and_sort(client, homd_user, prison, estate, poms):
    client.force_login(homd_user)
    url = reverse("allocation_to_allocate", kwargs={"prison_code": prison.code})
    assert [r["prisoner"].last_name for r in client.get(url, {"q": "ready"}).context["rows"]] == ["Ready"]
    assert [r["prisoner"].last_name for r in client.get(url, {"tier": "D"}).context["rows"]] == ["Remand"]
    by_name = [r["prisoner"].last_name for r in client.get(url, {"sort": "name"}).context["rows"]]
    assert by_name == sorted(by_name)
    allocated_url = reverse("allocation_allocated", kwargs={"prison_code": prison.code})
    assert len(client.get(allocated_url, {"pom": poms["probation"].pk}).context["rows"]) == 1
    assert len(client.get(allocated_url, {"pom": poms["prison_a"].pk}).context["rows"]) == 0


def test_csv_export(client, homd_user, prison, estate):
    client.force_login(homd_user)
    url = reverse("allocation_missing_details", kwargs={"prison_code": prison.code})
    response = client.get(url, {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0] == "prison_number,name,days_waiting,missing"
    assert len(lines) == 4
    assert any("Case information" in line for line in lines)
    allocated = client.get(reverse("allocation_allocated", kwargs={"prison_code": prison.code}), {"format": "csv"})
    assert "Olu Okoro" in b"".join(allocated.streaming_content).decode()


def test_a_key_worker_cannot_see_the_lists(client, staff_user_factory, prison):
    user = staff_user_factory(roles=["key_worker"], prisons=[prison])
    client.force_login(user)
    assert client.get(reverse("allocation_to_allocate", kwargs={"prison_code": prison.code})).status_code == 403


def _grow(prison, poms, n):
    for i in range(n):
        p = ready_case(prison=prison, tier="ABCD"[i % 4])
        StoredHandoverFactory(prisoner=p)
        if i % 2:
            PomAllocationFactory(prisoner=p, pom=poms["prison_a" if i % 3 else "probation"])
        PrisonerFactory(prison=prison)  # missing details


@pytest.mark.parametrize("name", ["allocation_to_allocate", "allocation_missing_details", "allocation_allocated"])
def test_query_counts_are_pinned_and_do_not_grow(client, homd_user, prison, poms, django_assert_num_queries, name):
    client.force_login(homd_user)
    url = reverse(name, kwargs={"prison_code": prison.code})
    # Session, user, prison, roles, savepoints and the idle-timeout session save, then: count, page (and the POMs on
    # the Allocated list, and its POM filter), tab counts.
    expected = {"allocation_to_allocate": 12, "allocation_missing_details": 12, "allocation_allocated": 14}[name]
    _grow(prison, poms, 4)
    client.get(url)  # the session settles its active prison on the first visit
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _grow(prison, poms, 20)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_heads_of_unit_home_page_shows_the_counts(client, homd_user, prison, estate):
    client.force_login(homd_user)
    page = client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).content.decode()
    assert "3 cases to allocate" in page
    assert "3 cases missing details" in page
    assert "1 allocated" in page
