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
