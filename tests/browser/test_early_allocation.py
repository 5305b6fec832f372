"""In a real browser: a POM assesses a case as automatically eligible for early allocation, records the community's
confirmation, and sees the handover date move to 15 months before the earliest release date, with the reason on the
case's handover panel. Every page visited has no accessibility violations."""

import re

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from tests.casework.early_allocation_setup import ea_case
from tests.factories.casework import EarlyAllocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


def test_a_pom_assesses_early_allocation_and_the_handover_moves(
    page, live_server, sign_in, staff_user_factory, prison, axe_violations
):
    pom_user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    today = timezone.localdate()
    prisoner = ea_case(
        prison=prison,
        today=today,
        release_in=relativedelta(months=16),
        pom_user=pom_user,
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
    )
    crd = prisoner.sentence.conditional_release_date
    case_url = f"{live_server.url}/prisons/{prison.code}/prisoners/{prisoner.pk}/"

    sign_in(page, "pom")
    page.goto(case_url)
    expect(page.get_by_test_id("handover-date")).to_contain_text(_long(crd - relativedelta(months=8, days=14)))

    page.goto(case_url + "early-allocation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early allocation")
    expect(page.get_by_test_id("early-allocation-status")).to_have_text("Not assessed")
    expect(page.get_by_test_id("referral-window")).to_contain_text("inside the 18-month referral window")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Assess for early allocation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early allocation assessment")
    assert axe_violations(page) == []
    # Continuing with nothing answered shows the GOV.UK error summary.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the latest OASys risk assessment")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == []

    page.get_by_label("Date of the latest OASys risk assessment").fill((today - relativedelta(months=1)).isoformat())
    for question in (
        "Has the person been convicted of an offence under the Terrorism Act 2000?",
        "Is the case identified as high profile?",
        "Is the person subject to a serious crime prevention order?",
        "Is this a Critical Public Protection Case (CPPC)?",
    ):
        page.get_by_role("group", name=question).get_by_label("No").check()
    page.get_by_role("group", name="Is the person managed at MAPPA level 3?").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Early allocation")
    expect(page.get_by_test_id("early-allocation-status")).to_have_text(
        "Automatically eligible: early allocation applies"
    )
    expect(page.get_by_test_id("latest-assessment")).to_contain_text("Sent")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Record the community decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the community decision")
    assert axe_violations(page) == []
    page.get_by_label("Date the community confirmed").fill(today.isoformat())
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_test_id("community-decision")).to_have_text(f"Accepted on {_long(today)}")

    page.goto(case_url)
    expect(page.get_by_test_id("handover-date")).to_contain_text(_long(crd - relativedelta(months=15)))
    expect(page.get_by_test_id("handover-why")).to_contain_text(
        "Early allocation is in force: the COM takes over 15 months before the earliest release date"
    )
    assert axe_violations(page) == []

    page.goto(case_url + "early-allocation/summary/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early allocation assessment")
    assert axe_violations(page) == []


def test_the_homd_finds_a_pending_discretionary_case_and_approves_it(
    page, live_server, sign_in, staff_user_factory, prison, axe_violations
):
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    prisoner = ea_case(prison=prison, prisoner_kwargs={"first_name": "Ann", "last_name": "Osei"})
    EarlyAllocationFactory(prisoner=prisoner, discretionary=True)

    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/{prison.code}/early-allocation/")
    expect(page.get_by_test_id("list-count")).to_have_text("1 case")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Osei, Ann").click()
    page.get_by_role("link", name="Review and approve the referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve the early allocation referral")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve the referral").click()
    expect(page.get_by_test_id("early-allocation-status")).to_have_text(
        "Discretionary: waiting for the community decision"
    )
    page.goto(f"{live_server.url}/prisons/{prison.code}/early-allocation/?show=all")
    expect(page.get_by_test_id("early-allocation-table")).to_contain_text("waiting for the community decision")
    assert axe_violations(page) == []
