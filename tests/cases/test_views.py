"""Prisoner search, CSV export and the prisoner's record: scoped, sorted, and with pinned query counts."""

import csv
import io

import pytest
from django.urls import reverse

from cases.audit import audit_record
from tests.factories import CaseInformationFactory, PrisonerFactory, SentenceFactory

pytestmark = pytest.mark.django_db

# Session and user; the user's prisons (once: scoping and the switcher share them); role groups; the count and the
# page of prisoners; then the session save (an UPDATE inside its savepoint pair, and the request's own savepoint pair).
# None of it grows with the number of people, and no check falls through to Django's model permissions.
LIST_QUERIES = 11


def _people(prison, n):
    people = []
    for i in range(n):
        p = PrisonerFactory(prison=prison, last_name=f"Name{i:03d}")
        SentenceFactory(prisoner=p)
        CaseInformationFactory(prisoner=p)
        people.append(p)
    return people


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_costs_the_same_queries_for_any_number_of_people(
    client, homd_user, prison, n, django_assert_num_queries
):
    _people(prison, n)
    client.force_login(homd_user)
    url = reverse("prisoner_list", kwargs={"prison_code": prison.code})
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == n


def test_search_finds_by_name_or_number(client, homd_user, prison):
    people = _people(prison, 3)
    client.force_login(homd_user)
    url = reverse("prisoner_list", kwargs={"prison_code": prison.code})
    by_number = client.get(url, {"q": people[1].prison_number.lower()}).context["page"].object_list
    assert [p.pk for p in by_number] == [people[1].pk]
    by_name = client.get(url, {"q": "name002"}).context["page"].object_list
    assert [p.pk for p in by_name] == [people[2].pk]


def test_sorting_by_number_and_unknown_sorts_fall_back_to_name(client, homd_user, prison):
    people = _people(prison, 3)
    client.force_login(homd_user)
    url = reverse("prisoner_list", kwargs={"prison_code": prison.code})
    by_number = [p.pk for p in client.get(url, {"sort": "number"}).context["page"].object_list]
    assert by_number == sorted(p.pk for p in people)
    by_name = [p.last_name for p in client.get(url, {"sort": "drop table"}).context["page"].object_list]
    assert by_name == ["Name000", "Name001", "Name002"]


def test_csv_export_of_the_filtered_list(client, homd_user, prison):
    people = _people(prison, 3)
    people[0].first_name = "=HYPERLINK(1)"
    people[0].save()
    client.force_login(homd_user)
    url = reverse("prisoner_list", kwargs={"prison_code": prison.code})
    response = client.get(url, {"q": "Name00", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["prison_number"] for r in rows] == [p.prison_number for p in people]
    assert rows[0]["first_name"] == "'=HYPERLINK(1)", "formula cells are neutralised"
    assert rows[0]["tier"] == "C"


def test_the_prisoner_page_shows_dates_probation_and_history(client, homd_user, prison):
    prisoner = _people(prison, 1)[0]
    sentence = prisoner.sentence
    sentence.conditional_release_date_override = sentence.conditional_release_date.replace(day=1)
    sentence.save()
    audit_record(
        action="updated",
        obj=prisoner,
        before={"cell_location": "A-1-001"},
        after={"cell_location": "B-2-002"},
        actor_label="import_prisoners",
        prisoner=prisoner,
    )
    client.force_login(homd_user)
    url = reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
    page = client.get(url).content.decode()
    assert prisoner.full_name in page
    assert "Override" in page
    assert prisoner.case_information.crn in page
    assert "B-2-002" in page
    assert "import_prisoners" in page


def test_csv_export_leaves_blank_what_a_case_does_not_have_yet(client, homd_user, prison):
    remand = PrisonerFactory(prison=prison, legal_status="remand")
    client.force_login(homd_user)
    url = reverse("prisoner_list", kwargs={"prison_code": prison.code})
    response = client.get(url, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["prison_number"], r["sentence_type"], r["crn"], r["tier"]) for r in rows] == [
        (remand.prison_number, "", "", "")
    ]


def _manage_links(page: str) -> list[str]:
    import re

    block = page.split('data-testid="manage-case"')[1].split("</nav>")[0] if 'data-testid="manage-case"' in page else ""
    return re.findall(r'<a class="govuk-link" href="[^"]*">([^<]+)</a>', block)


@pytest.mark.parametrize(
    ("roles", "links"),
    [
        (
            ["homd"],
            ["POM allocation", "Case timeline", "Tier", "Key work", "Handover checklist", "Responsibility override"],
        ),
        (["homs"], ["POM allocation", "Case timeline", "Tier", "Key work", "Handover checklist"]),
        (["pom"], ["POM allocation", "Case timeline", "Tier", "Key work", "Handover checklist"]),
        (["key_worker"], ["Key work"]),
    ],
)
def test_manage_this_case_links_only_where_the_user_may_go(client, staff_user_factory, prison, roles, links):
    from tests.factories import CommunityOffenderManagerFactory, PomProfileFactory
    from tests.factories.allocation import PomAllocationFactory
    from tests.factories.keywork import KeyworkAllocationFactory, KeyWorkerProfileFactory

    prisoner = _people(prison, 1)[0]
    prisoner.case_information.com = CommunityOffenderManagerFactory(name="Cara Comm")
    prisoner.case_information.save()
    primary = PomProfileFactory(prison=prison, user__first_name="Priya", user__last_name="Adams")
    co_worker = PomProfileFactory(prison=prison, user__first_name="Paul", user__last_name="Baker")
    PomAllocationFactory(prisoner=prisoner, pom=primary)
    PomAllocationFactory(prisoner=prisoner, pom=co_worker, role="co_working")
    key_worker = KeyWorkerProfileFactory(prison=prison, user__first_name="Kim", user__last_name="Keys")
    KeyworkAllocationFactory(prison=prison, prisoner=prisoner, key_worker=key_worker)
    client.force_login(staff_user_factory(roles=roles, prisons=[prison]))
    page = client.get(reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk}))
    text = " ".join(page.content.decode().split())
    assert _manage_links(text) == links
    assert "<strong>POM:</strong> Priya Adams" in text
    assert "<strong>Co-working POM:</strong> Paul Baker" in text
    assert "<strong>COM:</strong> Cara Comm" in text
    assert "<strong>Key worker:</strong> Kim Keys" in text


def test_manage_this_case_offers_choosing_a_pom_when_there_is_none(client, homd_user, prison):
    prisoner = _people(prison, 1)[0]
    client.force_login(homd_user)
    page = client.get(reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk}))
    text = " ".join(page.content.decode().split())
    assert _manage_links(text)[0] == "Choose a POM"
    assert "<strong>POM:</strong> not allocated" in text
    assert "<strong>Key worker:</strong> none" in text


def test_the_prisoner_page_costs_the_same_queries_with_or_without_people_on_the_case(
    client, homd_user, prison, django_assert_num_queries
):
    """The prisoner page is the full profile (dashboards.profile_views, its own tests pin each section's queries):
    the same count with nobody or everybody on the case."""
    from tests.factories import PomProfileFactory
    from tests.factories.allocation import PomAllocationFactory

    prisoner = _people(prison, 1)[0]
    client.force_login(homd_user)
    url = reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": prisoner.pk})
    client.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)
    PomAllocationFactory(prisoner=prisoner, pom=PomProfileFactory(prison=prison))
    PomAllocationFactory(prisoner=prisoner, pom=PomProfileFactory(prison=prison), role="co_working")
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url)


DETAIL_QUERIES = 29  # dashboards.profile_views (with its record_viewed audit row); see tests/dashboards/test_profile.py
