"""In a real browser: the HOMD's home page counts the POMs needing attention; the prisoner page says who works with
the case and links to where each thing is changed; the allocation pages show the override to the COM (D-06) and
recommend a prison POM for it. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from cases.models import PomProfile
from handover.models import CalculatedHandover
from tests.allocation.conftest import make_pom
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.factories.handover import ResponsibilityOverrideFactory, StoredHandoverFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overridden_case(prison, staff_user_factory):
    prisoner = ready_case(prison=prison, tier="B", first_name="Dean", last_name="Mercer", prison_number="A1234BC")
    # POM responsible by the calculation (replacing what the after-commit recalculation stored from the sentence).
    CalculatedHandover.objects.filter(prisoner=prisoner).delete()
    StoredHandoverFactory(prisoner=prisoner)
    pom = make_pom(prison, username="priya", first="Priya", last="Adams")
    PomAllocationFactory(prisoner=prisoner, pom=pom)
    away = make_pom(prison, username="olu", first="Olu", last="Okoro", status=PomProfile.Status.AWAY)
    PomAllocationFactory(prisoner=ready_case(prison=prison, tier="C"), pom=away)
    homd = staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    ResponsibilityOverrideFactory(prisoner=prisoner, created_by=homd)
    return prisoner


def test_homd_sees_the_people_links_and_the_override_everywhere(
    page, live_server, sign_in, overridden_case, axe_violations
):
    sign_in(page, "homd")
    expect(page.get_by_test_id("pom-attention")).to_contain_text("1 POM needs attention")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/prisons/LEI/prisoners/A1234BC/")
    expect(page.get_by_test_id("case-people")).to_contain_text("POM: Priya Adams")
    expect(page.get_by_test_id("case-people")).to_contain_text("Key worker: none")
    manage = page.get_by_role("navigation", name="Manage this case")
    expect(manage.get_by_role("link")).to_have_text(
        ["POM allocation", "Case timeline", "Tier", "Key work", "Handover checklist", "Responsibility override"]
    )
    assert axe_violations(page) == []

    manage.get_by_role("link", name="POM allocation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review case")
    expect(page.get_by_text("Overridden to COM")).to_be_visible()
    expect(page.get_by_test_id("recommendation")).to_contain_text("Recommended: Prison POM")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/prisons/LEI/allocations/allocated/")
    row = page.locator("tbody tr").filter(has_text="Mercer, Dean")
    expect(row.get_by_test_id("responsibility")).to_have_text("Overridden to COM")
    assert axe_violations(page) == []
