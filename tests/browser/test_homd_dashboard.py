"""In a real browser: a HOMD opens the unit dashboard from the navigation, follows a tile to the list it counts and
finds the same number of cases there, comes back by keyboard alone, and reads the caseload distribution. Every page
has no accessibility violations (axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.dashboards.dashboard_setup import fresh_cache, make_unit  # noqa: F401 (autouse fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def unit(prison, homd_user, settings):
    settings.POM_CAPACITY_PER_FTE = "1.4"
    return make_unit(prison)


def test_a_homd_drills_down_from_a_tile_to_its_list(page, live_server, sign_in, unit, axe_violations):
    sign_in(page, "homd")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unit dashboard")
    assert axe_violations(page) == []

    tile = page.get_by_test_id("tile-to_allocate")
    expect(tile.get_by_test_id("count")).to_have_text("2")
    expect(tile).to_contain_text("Longest wait: 10 days")
    tile.get_by_role("link", name="To allocate").click()
    expect(page).to_have_url(re.compile(r"/prisons/LEI/allocations/$"))
    expect(page.locator("main tbody tr")).to_have_count(2)
    page.go_back()

    com = page.get_by_test_id("tile-handover_com_overdue")
    expect(com.get_by_test_id("count")).to_have_text("1")
    # Keyboard only: tab to the tile's link and follow it with Enter.
    link = com.get_by_role("link", name="COM allocation overdue")
    for _ in range(80):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the tile's link never took the keyboard focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/handovers/prison/\?tab=com_overdue$"))
    expect(page.locator("main tbody tr")).to_have_count(1)
    assert axe_violations(page) == []
    page.go_back()

    table = page.get_by_test_id("distribution-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr", has_text="Paul Baker")).to_contain_text("3.40 over capacity")
    expect(page.get_by_test_id("tile-poms_over_capacity").get_by_test_id("count")).to_have_text("2")
    expect(page.get_by_test_id("distribution-chart")).to_be_visible()
    page.get_by_test_id("tile-poms_over_capacity").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dashboard/#distribution$"))
    table.get_by_role("link", name="Paul Baker").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paul Baker")
