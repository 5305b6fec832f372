"""In a real browser: a HOMD fills in a case's missing details, allocates it to a POM of the type that was not
recommended (with a reason), adds a co-working POM, and sees it all on the case timeline; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import PomAllocation
from tests.allocation.conftest import make_pom
from tests.factories import PrisonerFactory, SentenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def allocation_estate(prison, staff_user_factory):
    from omic.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the allocation emails are sent in-process, for the timeline
    prisoner = PrisonerFactory(prison=prison, first_name="Dean", last_name="Mercer", prison_number="A1234BC")
    SentenceFactory(prisoner=prisoner)
    poms = {
        "prison": make_pom(prison, username="priya", first="Priya", last="Adams"),
        "probation": make_pom(prison, username="olu", first="Olu", last="Okoro", pom_type="probation"),
    }
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    yield {"prisoner": prisoner, "poms": poms}
    app.conf.task_always_eager = before


def test_homd_fills_in_allocates_with_override_adds_co_worker_and_reads_the_timeline(
    page, live_server, sign_in, allocation_estate, axe_violations
):
    sign_in(page, "homd")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Allocations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocations: to allocate")
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile(r"^Missing details \(1\)")).click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Mercer, Dean")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add missing details")
    page.get_by_role("button", name="Save details").click()  # nothing chosen: an error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the tier")
    assert axe_violations(page) == []
    page.get_by_label("Tier", exact=True).select_option("A")
    page.get_by_label("Why are you entering the tier by hand?").fill("Not in nDelius yet")
    page.get_by_label("RoSH level").select_option("high")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review case")
    expect(page.get_by_test_id("recommendation")).to_contain_text("Recommended: Probation POM")
    expect(page.get_by_test_id("tier-a-warning")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Choose a POM").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a POM")
    expect(page.get_by_test_id("suggestions").locator("li").first).to_contain_text("Olu Okoro")
    assert axe_violations(page) == []
    page.get_by_label("Compare Priya Adams").check()
    page.get_by_label("Compare Olu Okoro").check()
    page.get_by_role("button", name=re.compile("Compare selected POMs")).click()
    expect(page.get_by_test_id("comparison")).to_contain_text("Weighted load per FTE")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Allocate to Priya Adams").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate Dean Mercer to Priya Adams")
    page.get_by_role("button", name="Complete allocation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why you chose a POM")
    assert axe_violations(page) == []
    page.get_by_label("Other reason").check()
    page.get_by_label("Give details").fill("Priya knows the family from his last sentence")
    page.get_by_label("Message to the POM (optional)").fill("Please see him this week")
    page.get_by_role("button", name="Complete allocation").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("allocated to Priya Adams")
    expect(page.get_by_test_id("primary-pom")).to_contain_text("Priya Adams")
    page.get_by_role("link", name="Add a co-working POM").click()
    assert axe_violations(page) == []
    page.get_by_label(re.compile("^Olu Okoro")).check()
    page.get_by_role("button", name="Add co-working POM").click()
    expect(page.get_by_test_id("co-working-pom")).to_contain_text("Olu Okoro")
    assert axe_violations(page) == []

    page.get_by_role("link", name="View the case timeline").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Primary POM allocated")
    expect(timeline).to_contain_text("POM type recommendation overridden")
    expect(timeline).to_contain_text("Priya knows the family from his last sentence")
    expect(timeline).to_contain_text("Co-working POM allocated")
    expect(timeline).to_contain_text("Tier changed")
    expect(timeline).to_contain_text("Tier entered by hand")
    expect(timeline).to_contain_text("Not in nDelius yet")
    expect(timeline).to_contain_text("New allocation: Dean Mercer (A1234BC)")
    assert axe_violations(page) == []
    assert PomAllocation.objects.filter(prisoner_id="A1234BC", ended_at__isnull=True).count() == 2
