"""In a real browser: a HOMD opens a prisoner's profile and reads what happens next first, then the handover panel
and every section, and follows a section's link to where it is changed using the keyboard; no accessibility
violations."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import CaseTask
from tests.factories import PomProfileFactory
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(staff_user_factory, prison):
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    pom_user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    pom_user.first_name, pom_user.last_name = "Priya", "Shah"
    pom_user.save()
    today = timezone.localdate()
    prisoner = make_case(
        prison=prison,
        today=today,
        days=20,
        pom=PomProfileFactory(user=pom_user, prison=prison),
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
        inputs={"sentence_type": "determinate"},
    )
    CaseTask.objects.create(
        prisoner=prisoner, kind="initial_oasys", occurrence="e2e", due_date=today - dt.timedelta(days=400)
    )
    return prisoner


def test_a_homd_reads_the_profile_and_goes_to_the_tier_page(page, live_server, sign_in, case, axe_violations):
    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/LEI/prisoners/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tom Ridley")
    actions = page.get_by_test_id("next-actions")
    expect(actions).to_contain_text("POM (Priya Shah):")
    expect(actions).to_contain_text("Complete the initial OASys")
    expect(actions).to_contain_text("Overdue")
    # What happens next comes before the handover panel.
    first = page.locator("[data-testid=next-actions], [data-testid=handover-panel]").first
    expect(first).to_have_attribute("data-testid", "next-actions")
    expect(page.get_by_test_id("handover-date")).to_contain_text("(in 20 days)")
    for section in ("identity", "sentence", "probation", "tier", "early-allocation", "parole", "tasks", "key-work"):
        expect(page.get_by_test_id(section)).to_be_visible()
    assert axe_violations(page) == []

    link = page.get_by_test_id("tier").get_by_role("link", name=re.compile("Tier details and history"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/prisoners/{case.pk}/tier/$"))
