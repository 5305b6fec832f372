"""In a real browser: a POM finds an upcoming handover, reads the handover panel and ticks a checklist task; a HOMD
overrides responsibility to the COM and the badge shows. Every page visited has no accessibility violations."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from handover.models import HandoverChecklist
from tests.factories import PomProfileFactory
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def handover_case(staff_user_factory, prison):
    pom_user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    pom_user.first_name, pom_user.last_name = "Priya", "Shah"
    pom_user.save()
    homd = staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    pom = PomProfileFactory(user=pom_user, prison=prison)
    today = timezone.localdate()
    prisoner = make_case(
        prison=prison,
        today=today,
        days=20,
        pom=pom,
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
        inputs={"sentence_type": "determinate"},
    )
    return {"pom_user": pom_user, "homd": homd, "prisoner": prisoner}


def test_a_pom_works_an_upcoming_handover_and_a_homd_overrides_it(
    page, live_server, sign_in, handover_case, axe_violations
):
    prisoner = handover_case["prisoner"]
    sign_in(page, "pom")
    expect(page).to_have_url(re.compile(r"/prisons/LEI/$"))
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Handovers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your handovers")
    expect(page.get_by_test_id("tab-upcoming")).to_have_text("Upcoming (1)")
    expect(page.get_by_test_id("handover-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("handover-table")).to_contain_text("in 20 days")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ridley, Tom").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Ridley")
    panel = page.get_by_test_id("handover-panel")
    expect(panel).to_contain_text("POM responsible")
    expect(page.get_by_test_id("handover-date")).to_contain_text("(in 20 days)")
    expect(page.get_by_test_id("handover-why")).to_contain_text("8 months and 14 days before the earliest release")
    assert axe_violations(page) == []

    panel.get_by_role("link", name="Checklist: 0 of 2 done").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handover checklist")
    assert axe_violations(page) == []
    page.get_by_label("Contact the COM").check()
    page.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_test_id("checklist-progress")).to_have_text("1 of 2 done")
    assert axe_violations(page) == []
    assert HandoverChecklist.objects.get(prisoner=prisoner).contacted_com is True

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/LEI/prisoners/{prisoner.pk}/")
    page.get_by_role("link", name="Override responsibility to the COM").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Override responsibility to the COM")
    assert axe_violations(page) == []

    # Saving without a reason shows the GOV.UK error summary naming the field.
    page.get_by_role("button", name="Override to the COM").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why responsibility moves to the COM")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == []

    page.get_by_label("Other reason").check()
    page.get_by_label("Give details").fill("Agreed at the case review")
    page.get_by_role("button", name="Override to the COM").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Ridley")
    expect(page.get_by_test_id("handover-panel")).to_contain_text("Overridden to COM")
    expect(page.get_by_test_id("handover-override")).to_contain_text("Agreed at the case review")
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Handovers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handovers in HMP Leeds")
    page.get_by_test_id("tab-in_progress").click()
    expect(page.get_by_test_id("handover-table")).to_contain_text("Overridden to COM")
    assert axe_violations(page) == []
