"""In a real browser: a HOMD opens a case's tier page, sees the calculated tier and its breakdown, enters a tier by
hand (first with an error), and sees it in the history; every page with 0 axe violations."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.factories import PrisonerFactory
from tiering.services import tier_inputs_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_homd_reviews_and_enters_a_tier(page, live_server, sign_in, staff_user_factory, prison, axe_violations):
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    prisoner = PrisonerFactory(prison=prison, first_name="Ada", last_name="Lovelace")
    tier_inputs_update(prisoner, {"rsr": 8, "ogrs": 35}, "probation", today=dt.date(2026, 11, 24))
    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/{prison.code}/prisoners/{prisoner.pk}/tier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tier")
    expect(page.get_by_test_id("current-tier")).to_contain_text("B")
    expect(page.get_by_role("table", name="Protect points")).to_contain_text("RSR 8")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save tier").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a tier from A to G")
    assert axe_violations(page) == []

    page.get_by_label("A", exact=True).check()
    page.get_by_label("Why are you entering the tier by hand?").fill("Known MAPPA level 3; the record is out of date")
    page.get_by_role("button", name="Save tier").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Tier A entered by hand")
    expect(page.get_by_test_id("tier-history")).to_contain_text("Entered by hand")
    expect(page.get_by_test_id("tier-history")).to_contain_text("B1")
    assert axe_violations(page) == []
