"""In a real browser: a key worker records a session and a POM–key worker contact from their own page, and sees both
on the case's key work page; every page has no accessibility violations (axe-core)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import PomAllocation
from tests.factories import PrisonerFactory
from tests.factories.keywork_recording import KeyworkAllocationFactory, key_worker_user, pom_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def key_worker_with_a_prisoner(prison):
    key_worker = key_worker_user(prison=prison, username="keyworker", first_name="Kim", last_name="Walker")
    prisoner = PrisonerFactory(prison=prison, first_name="Sam", last_name="Jones")
    KeyworkAllocationFactory(prisoner=prisoner, key_worker=key_worker.key_worker_profiles.get())
    pom = pom_user(prison=prison, username="pom", first_name="Pat", last_name="Morgan")
    PomAllocation.objects.create(
        prisoner=prisoner, pom=pom.pom_profiles.get(), role=PomAllocation.Role.PRIMARY, allocated_at=timezone.now()
    )
    return prisoner


def test_a_key_worker_records_a_session_and_a_pom_contact_and_sees_them_on_the_case(
    page, live_server, sign_in, key_worker_with_a_prisoner, axe_violations
):
    prisoner = key_worker_with_a_prisoner
    today = timezone.localdate().isoformat()
    sign_in(page, "keyworker")
    page.goto(f"{live_server.url}/prisons/LEI/key-work/my-prisoners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My prisoners")
    row = page.get_by_test_id("caseload").get_by_role("row").filter(has_text="Jones, Sam")
    expect(row).to_contain_text("None since allocation")
    expect(row).to_contain_text("Overdue")
    assert axe_violations(page) == []

    row.get_by_role("link", name="Record a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record key work")
    page.get_by_role("button", name="Save").click()  # nothing filled in but the date: the duration is missing
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter how long the session took, in minutes")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert axe_violations(page) == []

    page.get_by_label("Date", exact=True).fill(today)
    page.get_by_label("Key work session").check()
    page.get_by_label("Duration in minutes").fill("45")
    page.get_by_label("Notes").fill("Talked about getting onto the kitchen course.")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/key-work/my-prisoners/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Key work recorded for Sam Jones")
    expect(page.get_by_test_id("caseload").get_by_role("row").filter(has_text="Jones, Sam")).to_contain_text(
        "Not due yet"
    )
    assert axe_violations(page) == []

    page.get_by_role("link", name="Jones, Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key work")
    page.get_by_role("link", name="Record a POM–key worker contact").click()
    expect(page.get_by_label("POM", exact=True)).to_have_value(str(prisoner.pom_allocations.get().pom.user_id))
    page.get_by_label("Summary").fill("Agreed to work on the education target of the sentence plan.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/prisoners/{prisoner.prison_number}/key-work/$"))
    expect(page.get_by_test_id("sessions")).to_contain_text("Talked about getting onto the kitchen course.")
    expect(page.get_by_test_id("sessions")).to_contain_text("45 minutes")
    contacts = page.get_by_test_id("contacts")
    expect(contacts).to_contain_text("POM: Pat Morgan")
    expect(contacts).to_contain_text("Key worker: Kim Walker")
    expect(contacts).to_contain_text("Agreed to work on the education target of the sentence plan.")
    assert axe_violations(page) == []


def test_a_plan_is_refused_then_started_and_a_manager_checks_an_entry_the_key_worker_reads(
    page, live_server, sign_in, key_worker_with_a_prisoner, staff_user_factory, prison, axe_violations
):
    import datetime as dt

    from tests.factories.keywork_recording import KeyworkSessionFactory

    prisoner = key_worker_with_a_prisoner
    key_worker = prisoner.keywork_allocations.get().key_worker.user
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    KeyworkSessionFactory(prisoner=prisoner, key_worker=key_worker, session_date=last_month, notes="Gym plan agreed")
    staff_user_factory(roles=["homs"], prisons=[prison], username="homs")
    target = (timezone.localdate() + dt.timedelta(days=60)).isoformat()

    sign_in(page, "keyworker")
    page.goto(f"{live_server.url}/prisons/LEI/prisoners/{prisoner.prison_number}/key-work/")
    page.get_by_role("link", name="Start a progression plan").click()
    expect(page.get_by_test_id("plan-rule")).to_contain_text("unless their POM has agreed")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Goal 1", exact=True).fill("Get onto the kitchen course")
    page.get_by_label("Target date for goal 1").fill(target)
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("unless their POM has agreed")
    assert axe_violations(page) == []
    page.get_by_label("The POM has agreed to this progression plan").check()
    page.get_by_label("POM who agreed").select_option(label="Pat Morgan")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_test_id("goals")).to_contain_text("Get onto the kitchen course")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "homs")
    page.goto(f"{live_server.url}/prisons/LEI/key-work/quality-checks/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Draw a sample").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sample drawn for 1 key worker")
    page.get_by_role("link", name=re.compile("Check the next entry")).click()
    expect(page.get_by_test_id("entry")).to_contain_text("Gym plan agreed")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer “Gives a clear next step”")
    assert axe_violations(page) == []
    page.get_by_role("group", name="Links to the sentence plan or progression plan").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Gives a clear next step").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Risk information is passed to the OMU").get_by_label("Not applicable").check()
    page.get_by_label("Feedback for the key worker").fill("Say what happens next time.")
    page.get_by_role("button", name="Save the check").click()
    expect(page.get_by_test_id("quality-results")).to_contain_text("0 of 1 (0%)")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "keyworker")
    page.goto(f"{live_server.url}/prisons/LEI/key-work/my-prisoners/")
    feedback = page.get_by_test_id("feedback")
    expect(feedback).to_contain_text("Say what happens next time.")
    expect(feedback).to_contain_text("New")
    page.get_by_role("button", name=re.compile("Mark as read")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Feedback marked as read")
    assert axe_violations(page) == []
