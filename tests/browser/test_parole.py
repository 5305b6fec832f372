"""In a real browser: a HOMD opens the approaching-parole list, then a case's parole page, records a "no release"
outcome and reads which swing rule now applies. Every page visited has no accessibility violations."""

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from tests.casework.parole_setup import isp_case, pom_for
from tests.factories import PrisonerFactory, SentenceFactory
from tests.factories.allocation import PomAllocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_homd_records_a_parole_outcome_and_sees_the_swing_explained(
    page, live_server, sign_in, staff_user_factory, prison, axe_violations
):
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    today = timezone.localdate()
    pom = pom_for(prison)
    prisoner, past = isp_case(prison=prison, today=today, pom=pom)
    near = PrisonerFactory(prison=prison, first_name="Ben", last_name="Marsh")
    SentenceFactory(prisoner=near, parole_eligibility_date=today + relativedelta(months=3))
    PomAllocationFactory(prisoner=near, pom=pom)
    prisoner.first_name, prisoner.last_name = "Ada", "Vance"
    prisoner.save()
    # The next hearing is 14 months away, so it is not on the list; a determinate PED in 3 months is.
    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/{prison.code}/parole/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approaching parole")
    expect(page.get_by_test_id("list-count")).to_have_text("1 case")
    expect(page.get_by_test_id("parole-table")).to_contain_text("Marsh, Ben")
    expect(page.get_by_test_id("parole-table")).to_contain_text("(PED)")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/prisons/{prison.code}/prisoners/{prisoner.pk}/parole/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parole")
    expect(page.get_by_test_id("parole-swing")).to_contain_text("No parole review for this sentence is completed yet")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Record the outcome of the review with the target hearing date").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the hearing outcome")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("No release: the Parole Board did not direct release").check()
    page.get_by_label("Date the outcome was received").fill(today.isoformat())
    page.get_by_role("button", name="Save the outcome").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Parole")
    swing = page.get_by_test_id("parole-swing")
    expect(swing).to_contain_text("This rule applies:")
    expect(swing).to_contain_text("did not release at the last review")
    expect(page.get_by_test_id("parole-responsibility")).to_contain_text("POM responsible, COM supporting")
    assert axe_violations(page) == []
