"""In a real browser: a POM searches by name with the keyboard only, sees their own case first and opens it; a too
short term gets a GOV.UK error summary. No accessibility violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PomProfileFactory, PrisonerFactory
from tests.factories.allocation import PomAllocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(staff_user_factory, prison):
    user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    pom = PomProfileFactory(user=user, prison=prison)
    mine = PrisonerFactory(prison=prison, first_name="Zed", last_name="Walker")
    PrisonerFactory(prison=prison, first_name="Adam", last_name="Walker")
    PomAllocationFactory(prisoner=mine, pom=pom)
    return mine


def test_a_pom_searches_with_the_keyboard_and_sees_their_case_first(page, live_server, sign_in, people, axe_violations):
    sign_in(page, "pom")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search for a prisoner")
    assert axe_violations(page) == []

    page.get_by_label("Name or prison number").focus()
    page.keyboard.type("w")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least 2 characters")
    assert axe_violations(page) == []

    page.get_by_label("Name or prison number").fill("")
    page.get_by_label("Name or prison number").focus()
    page.keyboard.type("walker")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("search-count")).to_have_text("2 results for “walker”")
    expect(page.get_by_test_id("search-mine").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("search-mine")).to_contain_text("Walker, Zed")
    expect(page.get_by_test_id("search-others")).to_contain_text("Walker, Adam")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Walker, Zed").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/prisoners/{people.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zed Walker")
