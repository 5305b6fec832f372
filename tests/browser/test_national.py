"""In a real browser: a national viewer opens the OMiC measures, sorts the comparison by a measure and back, narrows
it to a region with the keyboard, and sees the trend. Every page has no accessibility violations (axe-core)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dashboards.models import PrisonMeasureSnapshot
from tests.factories import PrisonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def estate(prison, other_prison, staff_user_factory):
    staff_user_factory(roles=["national_viewer"], username="national")
    cardiff = PrisonFactory(code="CFI", name="HMP Cardiff", country="wales")
    today, now = timezone.localdate(), timezone.now()
    for day_back in range(3):
        for p, overdue, delivery in ((prison, 4, "50.0"), (other_prison, 12, "60.0"), (cardiff, 7, "70.0")):
            PrisonMeasureSnapshot.objects.create(
                prison=p, date=today - dt.timedelta(days=day_back), refreshed_at=now,
                oasys_overdue=overdue + day_back, keywork_sessions=int(Decimal(delivery)), keywork_projected=100,
                keywork_delivery_percent=Decimal(delivery), unallocated=day_back,
            )  # fmt: skip


def _first_column(page) -> list[str]:
    return [t.split(" (")[0] for t in page.get_by_test_id("measures").locator("tbody th").all_inner_texts()]


def test_a_national_viewer_compares_prisons(page, live_server, sign_in, estate, axe_violations):
    sign_in(page, "national")
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="OMiC measures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OMiC measures by prison")
    expect(page.get_by_test_id("refreshed")).to_contain_text("last worked out")
    assert _first_column(page) == ["HMP Cardiff", "HMP Leeds", "HMP Moorland"]
    assert axe_violations(page) == []

    page.get_by_role("link", name="OASys overdue").click()
    expect(page).to_have_url(re.compile(r"sort=oasys&dir=desc"))
    assert _first_column(page) == ["HMP Moorland", "HMP Cardiff", "HMP Leeds"]
    expect(page.locator("th[aria-sort=descending]")).to_have_text("OASys overdue")
    page.get_by_role("link", name="OASys overdue").click()
    assert _first_column(page) == ["HMP Leeds", "HMP Cardiff", "HMP Moorland"]

    # Keyboard only: choose Wales and submit.
    page.get_by_label("Country").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"country=wales"))
    assert _first_column(page) == ["HMP Cardiff"]
    trend = page.get_by_test_id("trend")
    expect(trend.locator("tbody tr")).to_have_count(3)
    expect(trend.locator("tbody tr").first).to_contain_text("70.0%")
    assert axe_violations(page) == []
    expect(page.get_by_role("link", name="Download this table (CSV)")).to_have_attribute(
        "href", re.compile(r"format=csv")
    )
