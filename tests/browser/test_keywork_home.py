"""In a real browser: the key work landing page leads a key worker to their prisoners and a HOMS to their next
actions; a prisoner's key worker page and their key work link to each other; a sensitive note stays hidden from
another key worker. Every page has no accessibility violations (axe-core)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PrisonerFactory
from tests.factories.keywork_recording import KeyworkAllocationFactory, KeyworkSessionFactory, key_worker_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Disclosed debt to another prisoner"


@pytest.fixture
def caseload(prison, staff_user_factory):
    key_worker = key_worker_user(prison=prison, username="keyworker", first_name="Kim", last_name="Walker")
    key_worker_user(prison=prison, username="otherkw", first_name="Lee", last_name="Other")
    staff_user_factory(roles=["homs"], prisons=[prison], username="homs")
    prisoner = PrisonerFactory(prison=prison, first_name="Sam", last_name="Jones")
    KeyworkAllocationFactory(
        prisoner=prisoner,
        key_worker=key_worker.key_worker_profiles.get(),
        allocated_at=timezone.now() - dt.timedelta(days=30),
    )
    KeyworkSessionFactory(
        prisoner=prisoner,
        key_worker=key_worker,
        notes=SECRET,
        is_sensitive=True,
        session_date=timezone.localdate() - dt.timedelta(days=10),
    )
    return prisoner


def test_the_landing_page_leads_each_role_and_the_pages_link_to_each_other(
    page, live_server, sign_in, caseload, axe_violations
):
    prisoner = caseload
    sign_in(page, "keyworker")
    page.goto(f"{live_server.url}/prisons/LEI/key-work/")
    summary = page.get_by_test_id("caseload-summary")
    expect(summary).to_contain_text("1 prisoner allocated to you")
    expect(summary).to_contain_text("1 overdue a session")
    assert axe_violations(page) == []
    page.get_by_role("main").get_by_role("link", name="My prisoners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My prisoners")
    page.get_by_role("link", name="Jones, Sam").click()
    expect(page.get_by_test_id("sessions")).to_contain_text(SECRET)  # their own note
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    page.get_by_role("main").get_by_role("link", name="My prisoners").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My prisoners")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "otherkw")
    page.goto(f"{live_server.url}/prisons/LEI/prisoners/{prisoner.prison_number}/key-work/")
    sessions = page.get_by_test_id("sessions")
    expect(sessions).to_contain_text("Only OMU staff and the prisoner's POM can read this note.")
    expect(sessions).not_to_contain_text(SECRET)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "homs")
    page.goto(f"{live_server.url}/prisons/LEI/key-work/")
    steps = page.get_by_test_id("next-steps")
    expect(steps.get_by_role("link")).to_have_text(
        ["Key work settings", "Allocate key workers", "Key work dashboard", "Key work quality checks"]
    )
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/prisons/LEI/key-work/prisoners/{prisoner.prison_number}/")
    page.get_by_role("link", name=re.compile("Key work sessions, POM–key worker contacts")).click()
    expect(page).to_have_url(re.compile(rf"/prisoners/{prisoner.prison_number}/key-work/$"))
    expect(page.get_by_test_id("sessions")).to_contain_text(SECRET)
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Change key worker or see the history")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Jones: key worker")
    page.get_by_role(
        "link", name="Key work sessions, POM–key worker contacts and progression plan for Sam Jones"
    ).click()
    page.get_by_role("link", name="Kim Walker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kim Walker")
    page.get_by_role("link", name="Sessions with Sam Jones").click()
    expect(page).to_have_url(re.compile(rf"/prisoners/{prisoner.prison_number}/key-work/$"))
    assert axe_violations(page) == []
