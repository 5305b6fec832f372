"""Prison scoping (DECISIONS.md D-17): a user asking for a prison they do not work in gets 404, for every URL
and every method. The walk covers every URL pattern that takes a prison code (tests/url_walk.py, shared with the
permission matrix walk), so a new page is covered the day it is added; a new URL parameter without a sample value
there fails the test until one is given."""

import pytest
from django.urls import reverse

from tests.factories import PrisonerFactory
from tests.url_walk import METHODS, PRISON_ROLES, build_case_records, prison_url_patterns
from tests.url_walk import sample_kwargs as _sample_kwargs

pytestmark = pytest.mark.django_db

ALL_PRISON_ROLES = PRISON_ROLES


@pytest.fixture
def estate(prison, other_prison, staff_user_factory):
    here = PrisonerFactory(prison=prison)
    elsewhere = PrisonerFactory(prison=other_prison)
    for p in (here, elsewhere):
        build_case_records(p)
    user = staff_user_factory(roles=ALL_PRISON_ROLES, prisons=[prison], username="allroles")
    return {"user": user, "here": here, "elsewhere": elsewhere}


def test_the_walk_finds_the_prison_pages():
    names = {p.name for _, p in prison_url_patterns()}
    assert {"prison_home", "prisoner_list", "prisoner_detail", "staff_list"} <= names


@pytest.mark.parametrize("method", METHODS)
def test_every_prison_url_is_404_for_a_user_of_another_prison(client, estate, other_prison, method):
    client.force_login(estate["user"])
    for route, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code=other_prison.code, prisoner=estate["elsewhere"])
        url = reverse(pattern.name, kwargs=kwargs)
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} ({route}) gave {response.status_code}, not 404"


def test_a_prison_that_does_not_exist_is_404_too(client, estate):
    client.force_login(estate["user"])
    for _, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code="ZZZ", prisoner=estate["elsewhere"])
        assert client.get(reverse(pattern.name, kwargs=kwargs)).status_code == 404


def test_every_prison_url_answers_for_a_user_of_that_prison(client, estate, prison):
    client.force_login(estate["user"])
    for route, pattern in prison_url_patterns():
        kwargs = _sample_kwargs(pattern, prison_code=prison.code, prisoner=estate["here"])
        response = client.get(reverse(pattern.name, kwargs=kwargs))
        # An action that only takes a POST (drawing a sample, marking an action done) answers GET with 405: it was
        # found and scoped, not refused as another prison's. Everything else must render.
        allowed = {200, 405} if "POST" in response.get("Allow", "") else {200}
        assert response.status_code in allowed, f"GET {route} gave {response.status_code}"


def test_a_prisoner_held_elsewhere_is_404_through_your_own_prison(client, estate, prison):
    client.force_login(estate["user"])
    url = reverse("prisoner_detail", kwargs={"prison_code": prison.code, "prison_number": estate["elsewhere"].pk})
    assert client.get(url).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, estate, prison):
    response = client.get(reverse("prison_home", kwargs={"prison_code": prison.code}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_prison_switcher_refuses_another_prison(client, estate, other_prison):
    client.force_login(estate["user"])
    assert client.post(reverse("prison_switch"), {"prison": other_prison.code}).status_code == 404


def test_the_prison_switcher_moves_to_another_of_your_prisons(client, staff_user_factory, prison, other_prison):
    user = staff_user_factory(roles=["homd"], prisons=[prison, other_prison])
    client.force_login(user)
    response = client.post(reverse("prison_switch"), {"prison": other_prison.code})
    assert response.status_code == 302
    assert response.url == reverse("prison_home", kwargs={"prison_code": other_prison.code})
    assert client.get(reverse("home")).url == reverse("prison_home", kwargs={"prison_code": other_prison.code})


def test_search_lists_only_this_prisons_people(client, estate, prison):
    client.force_login(estate["user"])
    response = client.get(reverse("prisoner_list", kwargs={"prison_code": prison.code}))
    numbers = [p.prison_number for p in response.context["page"].object_list]
    assert numbers == [estate["here"].prison_number]
