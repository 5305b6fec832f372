"""In a real browser: a POM opens their task tab, goes to a case's tasks and marks the overdue initial OASys done;
a HOMD reads the overdue counts and follows one to the list it counts. Every page is axe-clean."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import CaseTask
from casework.task_recompute import tasks_recompute_for
from tests.casework.task_setup import make_case
from tests.factories import PomProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def task_case(staff_user_factory, prison):
    pom_user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    pom = PomProfileFactory(user=pom_user, prison=prison)
    today = timezone.localdate()
    prisoner = make_case(
        prison=prison,
        pom=pom,
        start=today - timezone.timedelta(weeks=12),
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
    )
    tasks_recompute_for([prisoner.pk], today=today)
    return prisoner


def test_a_pom_marks_a_task_done_and_a_homd_reads_the_overdue_counts(
    page, live_server, sign_in, task_case, axe_violations
):
    sign_in(page, "pom")
    page.goto(f"{live_server.url}/prisons/LEI/tasks/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case tasks")
    expect(page.get_by_test_id("task-table")).to_contain_text("Complete the initial OASys")
    assert axe_violations(page) == []

    page.get_by_test_id("task-table").get_by_role("link", name="Ridley, Tom").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tasks")
    expect(page.get_by_test_id("service-level")).to_contain_text("Full case management")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Update complete the initial oasys").click()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether the task is done or not needed")
    assert axe_violations(page) == []
    page.get_by_label("It is done").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("case-task-table")).to_contain_text("Done")
    task = CaseTask.objects.get(prisoner=task_case, kind="initial_oasys")
    assert task.status == "done"

    page.context.clear_cookies()
    sign_in(page, "homd")
    page.goto(f"{live_server.url}/prisons/LEI/tasks/overdue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue case tasks")
    assert axe_violations(page) == []
    by_kind = page.get_by_test_id("overdue-by-kind")
    count = by_kind.locator("tbody tr").first.locator("a").inner_text().split()[0]
    by_kind.locator("tbody tr").first.locator("a").click()
    expect(page.get_by_test_id("task-count")).to_have_text(f"{count} task{'' if count == '1' else 's'}")
    assert axe_violations(page) == []
