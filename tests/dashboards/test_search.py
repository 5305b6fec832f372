"""Search by name or prison number across the user's prisons, the POM's own cases first; scoping; validation;
and a query count that does not grow with the results."""

import pytest
from django.urls import reverse

from tests.factories import PomProfileFactory, PrisonerFactory, PrisonFactory
from tests.factories.allocation import PomAllocationFactory

pytestmark = pytest.mark.django_db


def search(client, prison, q=None):
    url = reverse("search", kwargs={"prison_code": prison.code})
    return client.get(url, {"q": q} if q is not None else {})


def numbers(rows) -> list[str]:
    return [p.prison_number for p in rows]


def test_a_poms_own_cases_come_first_and_separately(client, pom_user, prison):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    theirs = PrisonerFactory(prison=prison, first_name="Adam", last_name="Smith")
    mine = PrisonerFactory(prison=prison, first_name="Zed", last_name="Smith")
    PomAllocationFactory(prisoner=mine, pom=pom)
    PomAllocationFactory(prisoner=theirs, pom=PomProfileFactory(prison=prison))
    PrisonerFactory(prison=prison, first_name="Bob", last_name="Jones")
    client.force_login(pom_user)
    response = search(client, prison, "smith")
    assert numbers(response.context["mine"]) == [mine.pk]
    assert numbers(response.context["others"]) == [theirs.pk]
    text = response.content.decode()
    assert text.index("Your cases") < text.index("Other cases")
    assert numbers(search(client, prison, mine.pk.lower()).context["mine"]) == [mine.pk]
    assert numbers(search(client, prison, "zed smi").context["mine"]) == [mine.pk]


def test_search_covers_every_prison_of_the_user_and_no_other(client, staff_user_factory, prison, other_prison):
    third = PrisonFactory(code="BXI", name="HMP Brixton")
    user = staff_user_factory(roles=["homd"], prisons=[prison, other_prison])
    here = PrisonerFactory(prison=prison, last_name="Quill")
    there = PrisonerFactory(prison=other_prison, last_name="Quill")
    PrisonerFactory(prison=third, last_name="Quill")
    client.force_login(user)
    response = search(client, prison, "quill")
    assert sorted(numbers(response.context["others"])) == sorted([here.pk, there.pk])
    assert reverse("prisoner_detail", kwargs={"prison_code": other_prison.code, "prison_number": there.pk}) in (
        response.content.decode()
    )


def test_too_short_a_term_is_a_clear_error_not_a_list(client, homd_user, prison):
    client.force_login(homd_user)
    response = search(client, prison, "a")
    assert response.status_code == 200
    assert "Enter at least 2 characters" in response.content.decode()
    assert response.context["page"] is None
    assert search(client, prison).context["error"] == ""


def test_another_prison_is_404(client, homd_user, other_prison):
    client.force_login(homd_user)
    assert search(client, other_prison, "smith").status_code == 404


SEARCH_QUERIES = 11


@pytest.mark.parametrize("n", [3, 30])
def test_search_costs_the_same_queries_for_3_or_30_results(client, pom_user, prison, n, django_assert_num_queries):
    """Session, user, prisons, roles, the count, the rows (with POM, responsibility and "mine" as subqueries), the
    session save and the request's savepoints."""
    pom = PomProfileFactory(user=pom_user, prison=prison)
    for i in range(n):
        p = PrisonerFactory(prison=prison, last_name="Walker")
        if i % 2:
            PomAllocationFactory(prisoner=p, pom=pom)
    client.force_login(pom_user)
    search(client, prison, "walker")
    with django_assert_num_queries(SEARCH_QUERIES):
        response = search(client, prison, "walker")
    assert response.context["page"].paginator.count == n
