"""The browser harness: Playwright (Python) driving Debian's chromium from PATH against a live Django server.

Browser tests skip with a clear reason when there is no chromium on PATH or the front-end build is missing;
`.ci/run` installs chromium and `make test` builds the assets, so CI runs them all.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ASSETS_BUILT = (Path(settings.BASE_DIR) / "assets" / "build" / "app.css").exists()

# Flags for a headless chromium on a machine with no outside network (see the env notes): no sandbox as root, no
# GPU, and no background calls to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    reason = None
    if CHROMIUM is None:
        reason = "needs chromium on PATH (Debian package 'chromium'; .ci/run installs it)"
    elif not ASSETS_BUILT:
        reason = "needs the front-end build: run `make assets` (npm ci && npm run build)"
    for item in items:
        if "browser" in item.keywords and reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core on the page and return its violations as readable strings (empty means accessible)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page) -> list[str]:
        results = axe.run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
        ]

    return check


@pytest.fixture
def sign_in(live_server):
    def do(page, username: str, password: str = "correct-horse-battery"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return do
