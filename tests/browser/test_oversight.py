"""In a real browser: the HOMD draws this month's sample, audits a case against the inspection's quality questions
and sets the POM an action; the POM sees the outcome and marks the action done. Every page is axe-clean."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.oversight.conftest import make_pom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_homd_audits_a_case_and_the_pom_marks_the_action_done(
    page, live_server, sign_in, staff_user_factory, prison, axe_violations
):
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    pom = make_pom(prison=prison, cases=1, username="pom", first_name="Pat", last_name="Morgan")
    prisoner = pom.allocations.get().prisoner
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()

    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/LEI/oversight/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Management oversight")
    page.get_by_role("button", name="Draw this month's sample").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sample drawn for 1 POM")
    expect(page.get_by_test_id("sample")).to_contain_text("Pat Morgan")
    expect(page.get_by_test_id("sample")).to_contain_text("Not audited")
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(prisoner.prison_number)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Oversight audit: {prisoner.full_name}")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer “Is the POM's contact")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == []

    def answer(question: str, choice: str):
        page.get_by_role("group", name=re.compile(question)).get_by_label(choice, exact=True).check()

    answer("Is the POM's contact", "Yes")
    answer("Does the POM's work keep others safe", "Partly")
    page.get_by_label("Notes on risk work").fill("The risk management plan is out of date.")
    answer("Is information shared well", "Yes")
    answer("Is the case being prepared", "No")
    answer("Overall, is the POM's management", "Partly")
    page.get_by_label("Summary for the POM").fill("Good contact; update the risk plan.")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Audit saved for {prisoner.full_name}")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add an action for the POM").click()
    page.get_by_label("Action for the POM").fill("Update the risk management plan")
    page.get_by_label("Due date").fill(due)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Update the risk management plan")
    page.get_by_role("link", name="Back to management oversight").click()
    expect(page.get_by_test_id("results-by-question")).to_contain_text("Risk work")
    expect(page.get_by_test_id("results-by-pom")).to_contain_text("Pat Morgan")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "pom")
    page.goto(f"{live_server.url}/prisons/LEI/oversight/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your oversight audits")
    expect(page.get_by_test_id("action-summary")).to_contain_text("You have 1 action to do.")
    audit = page.get_by_test_id("audit")
    expect(audit).to_contain_text("The risk management plan is out of date.")
    expect(audit).to_contain_text("Good contact; update the risk plan.")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("Mark as done")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action marked as done")
    expect(page.get_by_test_id("action-summary")).to_contain_text("You have no actions to do.")
    expect(page.get_by_test_id("actions")).to_contain_text("Done")
    assert axe_violations(page) == []
