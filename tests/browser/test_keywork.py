"""In a real browser: the HOMS allows auto-allocation, proposes and confirms it, a key worker's session is recorded,
and the key work dashboard shows the figures; every page has no accessibility violations (axe-core)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.models import KeyworkAllocation
from keywork.recording_services import session_record
from tests.factories import PrisonerFactory
from tests.factories.keywork import KeyWorkerProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def estate(staff_user_factory, prison):
    workers = [KeyWorkerProfileFactory(prison=prison) for _ in range(2)]
    prisoners = [PrisonerFactory(prison=prison, last_name=f"Walker{i}") for i in range(5)]
    homs = staff_user_factory(roles=["homs"], prisons=[prison], username="homs")
    return {"workers": workers, "prisoners": prisoners, "homs": homs}


def test_homs_auto_allocates_and_the_dashboard_shows_the_figures(page, live_server, sign_in, estate, axe_violations):
    sign_in(page, "homs")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Key work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key work")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Key work settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key work settings")
    page.get_by_label("Allow auto-allocation of key workers").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Key work settings saved")
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/prisons/LEI/key-work/allocations/")
    expect(page.locator("tbody tr")).to_have_count(5)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Auto-allocate key workers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auto-allocate key workers")
    expect(page.get_by_test_id("proposal").locator("tbody tr")).to_have_count(5)
    assert axe_violations(page) == []
    assert not KeyworkAllocation.objects.exists()  # a proposal saves nothing

    page.get_by_role("button", name="Confirm 5 allocations").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("5 prisoners allocated a key worker")
    expect(page.locator("tbody tr")).to_have_count(5)
    assert axe_violations(page) == []
    assert KeyworkAllocation.objects.filter(allocation_type="auto").count() == 5

    allocation = KeyworkAllocation.objects.select_related("key_worker__user", "prisoner").first()
    session_record(
        prison=allocation.prison,
        prisoner=allocation.prisoner,
        key_worker=allocation.key_worker.user,
        session_date=timezone.localdate(),
        session_type="session",
        duration_minutes=50,
        notes="Talked about work in the kitchens.",
        is_sensitive=False,
        today=timezone.localdate(),
    )

    page.goto(f"{live_server.url}/prisons/LEI/key-work/")
    page.get_by_role("link", name="Key work dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key work dashboard")
    kpis = page.get_by_test_id("kpis")
    expect(kpis.get_by_role("row", name=re.compile("Sessions recorded"))).to_contain_text("1")
    expect(kpis.get_by_role("row", name=re.compile("Eligible prisoners"))).to_contain_text("5")
    expect(kpis.get_by_role("row", name=re.compile("Prisoners with a key worker"))).to_contain_text("100.00%")
    expect(kpis.get_by_role("row", name=re.compile("Average session length"))).to_contain_text("50")
    expect(page.get_by_role("img", name="Sessions recorded each week against sessions projected")).to_be_visible()
    expect(page.get_by_test_id("key-workers").locator("tbody tr")).to_have_count(2)
    assert axe_violations(page) == []
