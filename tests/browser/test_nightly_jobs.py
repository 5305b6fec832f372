"""In a real browser: a service admin finds last night's unfinished handover sweep from the service admin home page,
queues its prisons again, and the page has no accessibility violations (axe-core)."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from handover.models import SweepRun, SweepRunPrison

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_service_admin_queues_an_unfinished_sweep_again(page, live_server, sign_in, staff_user_factory, prison,
                                                         axe_violations):  # fmt: skip
    staff_user_factory(roles=["service_admin"], username="admin")
    started = timezone.now() - dt.timedelta(hours=2)
    run = SweepRun.objects.create(
        started_at=started, calculated_on=timezone.localdate(), fanout=True, prisons_total=1, computed=10
    )
    SweepRunPrison.objects.create(run=run, prison=prison)
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/service-admin/")
    page.get_by_role("link", name="Nightly jobs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nightly jobs")
    expect(page.locator(".govuk-warning-text")).to_contain_text("1 of 1 prison not done")
    expect(page.get_by_role("table")).to_contain_text(f"Not done: {prison.code}")
    assert axe_violations(page) == []

    with mock.patch("handover.services.sweep_fanout._queue") as queue:  # the live server runs in this process
        page.get_by_role("button", name="Queue the 1 unfinished prison again").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 prison queued again")
    queue.assert_called_once_with(run.pk, [prison.code], run.calculated_on)
    assert axe_violations(page) == []
