"""In a real browser, under the strict Content Security Policy (no inline script or style): the main pages, a form with
errors, the Django admin and the API docs report no CSP violation, and the GOV.UK Frontend JavaScript (loaded from a
static file) runs: the error summary takes the focus."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PomProfileFactory, UserFactory
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script: every violation event is passed to the test (init scripts and bindings come
# from the browser's DevTools protocol, so the page's own policy does not apply to them).
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}`);
});
"""


@pytest.fixture
def violations(page):
    found: list[str] = []
    page.expose_function("reportCspViolation", lambda text: found.append(text))
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: found.append(f"console: {message.text}") if "Content Security Policy" in message.text else None,
    )
    return found


@pytest.fixture
def estate(staff_user_factory, prison):
    from django.utils import timezone

    staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    pom_user = staff_user_factory(roles=["pom"], prisons=[prison], username="pom")
    prisoner = make_case(
        prison=prison,
        today=timezone.localdate(),
        days=20,
        pom=PomProfileFactory(user=pom_user, prison=prison),
        prisoner_kwargs={"first_name": "Tom", "last_name": "Ridley"},
        inputs={"sentence_type": "determinate"},
    )
    return prisoner


def _javascript_ran(page) -> bool:
    return page.evaluate("document.body.classList.contains('govuk-frontend-supported')")


def test_the_main_pages_run_under_the_strict_policy(page, live_server, sign_in, estate, violations):
    response = page.goto(f"{live_server.url}/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy

    # A form with errors: the GOV.UK error summary component (JavaScript) moves the focus to the summary.
    sign_in(page, "homd", "not-the-password")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert _javascript_ran(page)

    sign_in(page, "homd")
    expect(page).to_have_url(re.compile(r"/prisons/LEI/$"))
    assert _javascript_ran(page)
    for path, heading in [
        ("/prisons/LEI/caseload/", None),
        (f"/prisons/LEI/prisoners/{estate.pk}/", "Tom Ridley"),
        ("/prisons/LEI/dashboard/", None),
        (f"/prisons/LEI/prisoners/{estate.pk}/handover/override/", "Override responsibility to the COM"),
    ]:
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert _javascript_ran(page), path

    # Another form with errors (a page of the service, not Django's sign-in form).
    page.get_by_role("button", name="Override to the COM").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select why responsibility moves to the COM")

    # The profile's "What would change this" details open and close.
    page.goto(f"{live_server.url}/prisons/LEI/prisoners/{estate.pk}/")
    summary = page.locator(".govuk-details__summary").first
    summary.click()
    expect(page.locator(".govuk-details").first).to_have_attribute("open", "")
    assert violations == []


def test_a_violation_would_be_reported(page, live_server, violations, db):
    """The listener works: an inline script and an image from another host on our page are both reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
          const s = document.createElement("script"); s.textContent = "window.ran = 1"; document.body.append(s);
          const i = document.createElement("img"); i.src = "https://example.invalid/x.png"; document.body.append(i);
        }"""
    )
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate("window.ran") is None, "the inline script did not run"
    assert any("script-src" in v for v in violations), violations
    assert any("img-src" in v for v in violations), violations


def test_the_django_admin_runs_under_the_policy(page, live_server, violations, db):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add user")
    page.goto(f"{live_server.url}/admin/cases/staffprofile/add/")
    expect(page.locator(".selector-available, .selector-chooser").first).to_be_visible()  # filter_horizontal JS
    assert violations == []


def test_the_api_docs_run_under_their_own_narrow_policy(page, live_server, violations, db):
    response = page.goto(f"{live_server.url}/api/docs/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-eval'" not in policy
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Manage OMiC cases API")
    assert violations == []
    page.goto(f"{live_server.url}/api/docs/redoc/")
    expect(page.locator("h1").first).to_contain_text("Manage OMiC cases API")
    # Redoc always asks for its "API docs by Redocly" logo from cdn.redoc.ly: the policy blocking that is what we
    # want (the service loads nothing from other hosts), so that one blocked image is the only report allowed.
    others = [v for v in violations if "https://cdn.redoc.ly/redoc/logo-mini.svg" not in v]
    assert others == []
