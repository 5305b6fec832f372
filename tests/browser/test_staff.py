"""In a real browser: a HOMD sets a POM away from work, bulk-reallocates two of their cases to a POM of the other
type with a reason, and sees the new caseloads; every page has no accessibility violations (axe-core)."""

import re

import pytest
from playwright.sync_api import expect

from tests.allocation.test_staff_support import allocate_directly, make_case, make_pom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leeds_staff(staff_user_factory, prison):
    ann = make_pom(prison, first="Ann", last="Able", username="ann")
    cat = make_pom(prison, first="Cat", last="Cole", pom_type="probation", username="cat")
    for _ in range(2):
        allocate_directly(make_case(prison, tier="C"), ann)
    homd = staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    homd.first_name, homd.last_name = "Hana", "Okafor"
    homd.save()
    return {"ann": ann, "cat": cat}


def test_a_homd_sets_a_pom_away_and_reallocates_their_cases(page, live_server, sign_in, leeds_staff, axe_violations):
    sign_in(page, "homd")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("POMs")
    expect(page.get_by_test_id("pom-row-ann").get_by_test_id("total")).to_have_text("2")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ann Able").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ann Able")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Edit working pattern and status").click()
    page.get_by_label("Working pattern (FTE)").fill("1.5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1.0 FTE or less")
    assert axe_violations(page) == []
    page.get_by_label("Working pattern (FTE)").fill("1.0")
    page.get_by_label("Away from work").check()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/poms/\d+/reallocate/$"))
    expect(page.get_by_test_id("target-table")).to_contain_text("Cat Cole")
    assert axe_violations(page) == []
    page.get_by_label("Cat Cole").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_test_id("workload-comparison")).to_contain_text("Ann Able")
    expect(page.get_by_test_id("case-table").locator("tbody tr")).to_have_count(2)
    assert axe_violations(page) == []
    # The MoJ multi-select's "Select all" box (with JavaScript), else tick each case.
    select_all = page.locator("#checkboxes-all")
    if select_all.count():
        select_all.check(force=True)
    else:
        for box in page.locator("tbody input[name=cases]").all():
            box.check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not of the recommended type")
    assert axe_violations(page) == []
    page.get_by_label("Other reason").check()
    page.get_by_label("Give details").fill("Ann's cases stay together while she is away")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm the reallocation")
    expect(page.get_by_test_id("summary-table").locator("tbody tr")).to_have_count(2)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm reallocation").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 cases reallocated from Ann Able to Cat Cole")
    expect(page.get_by_test_id("pom-row-cat").get_by_test_id("responsible")).to_have_text("2")
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"^Away from work")).click()
    expect(page.get_by_test_id("pom-row-ann").get_by_test_id("total")).to_have_text("0")
