"""In a real browser: sign in, switch prison and load the home page, with no accessibility violations (axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PomProfileFactory, PrisonerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def homd_in_two_prisons(staff_user_factory, prison, other_prison):
    PrisonerFactory.create_batch(3, prison=prison)
    PrisonerFactory.create_batch(2, prison=other_prison)
    PomProfileFactory(prison=prison)
    user = staff_user_factory(roles=["homd"], prisons=[prison, other_prison], username="homd")
    user.first_name, user.last_name = "Hana", "Okafor"
    user.save()
    return user


def test_sign_in_switch_prison_and_home_page_are_accessible(
    page, live_server, sign_in, homd_in_two_prisons, axe_violations
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert axe_violations(page) == []

    sign_in(page, "homd")
    expect(page).to_have_url(re.compile(r"/prisons/LEI/$"))
    expect(page.get_by_test_id("header-user")).to_have_text("Hana Okafor")
    expect(page.locator(".moj-organisation-nav__title")).to_contain_text("HMP Leeds")
    expect(page.get_by_role("navigation", name="Primary navigation")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Change prison").select_option("MDI")
    page.get_by_role("button", name="Switch prison").click()
    expect(page).to_have_url(re.compile(r"/prisons/MDI/$"))
    expect(page.locator(".moj-organisation-nav__title")).to_contain_text("HMP Moorland")
    assert axe_violations(page) == []

    # The choice sticks: the service's front door now opens on the prison the user switched to.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/prisons/MDI/$"))

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_failed_sign_in_shows_an_accessible_error_summary(
    page, live_server, sign_in, homd_in_two_prisons, axe_violations
):
    sign_in(page, "homd", "not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("correct username and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == []


def test_the_prisoner_list_is_accessible(page, live_server, sign_in, homd_in_two_prisons, axe_violations):
    sign_in(page, "homd")
    page.get_by_role("link", name="Prisoners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prisoners")
    expect(page.locator("tbody tr")).to_have_count(3)
    assert axe_violations(page) == []
