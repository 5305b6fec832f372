"""In a real browser: a service admin registers an API client, copies its secret once, rotates it, and the pages
(list, form with errors, secret) have no accessibility violations (axe-core)."""

import pytest
from playwright.sync_api import expect

from api.models import ApiClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_service_admin_registers_and_rotates_a_client(page, live_server, sign_in, staff_user_factory, prison,
                                                       axe_violations):  # fmt: skip
    staff_user_factory(roles=["service_admin"], username="admin")
    sign_in(page, "admin")
    page.goto(f"{live_server.url}/service-admin/")
    page.get_by_role("link", name="API clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API clients")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Register a client").click()
    page.get_by_role("button", name="Register client").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the client's name")
    assert axe_violations(page) == []
    page.get_by_label("Name").fill("nDelius")
    page.get_by_label("Read handovers").check()
    page.get_by_label("HMP Leeds").check()
    page.get_by_role("button", name="Register client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("nDelius is registered")
    first_secret = page.locator("code").nth(1).inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to API clients").click()
    expect(page.get_by_role("link", name="nDelius")).to_be_visible()
    assert first_secret not in page.content()
    page.get_by_role("button", name="Rotate secret of nDelius").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New secret for nDelius")
    assert page.locator("code").nth(1).inner_text() != first_secret
    assert ApiClient.objects.get(name="nDelius").secret_rotated_at is not None
