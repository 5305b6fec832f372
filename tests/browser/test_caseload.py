"""In a real browser: a POM opens "Your cases", reads the handover date with its days left, switches tab, filters by
name and opens a case, all without a mouse; every page has no accessibility violations."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PomProfileFactory
from tests.factories.handover import AlertFactory
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload(staff_user_factory, prison):
    user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    pom = PomProfileFactory(user=user, prison=prison)
    today = timezone.localdate()
    tom = make_case(
        prison=prison, today=today, days=20, pom=pom, prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"}
    )
    AlertFactory(prisoner=tom, message="Upcoming handover: no COM yet")
    make_case(prison=prison, today=today, days=200, pom=pom, prisoner_kwargs={"first_name": "Ann", "last_name": "Zed"})
    return {"tom": tom}


def test_a_pom_works_their_caseload_with_the_keyboard(page, live_server, sign_in, caseload, axe_violations):
    sign_in(page, "pom")
    expect(page).to_have_url(re.compile(r"/prisons/LEI/$"))
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Caseload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cases")
    expect(page.get_by_test_id("tab-all")).to_have_text("All cases (2)")
    expect(page.get_by_test_id("tab-handovers")).to_have_text("Handovers (1)")
    table = page.get_by_test_id("caseload-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("in 20 days")  # soonest handover first
    expect(table).to_contain_text("Upcoming handover: no COM yet")
    assert axe_violations(page) == []

    # Keyboard only: focus the handovers tab and follow it with Enter.
    page.get_by_test_id("tab-handovers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Handovers")).to_be_visible()
    expect(page.get_by_test_id("caseload-table").locator("tbody tr")).to_have_count(1)
    assert axe_violations(page) == []

    page.get_by_test_id("tab-all").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Search by name or prison number").focus()
    page.keyboard.type("zed")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Role")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Apply filters")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("list-count")).to_have_text("1 case")

    link = page.get_by_role("link", name="Zed, Ann")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ann Zed")
