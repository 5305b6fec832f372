"""The handover template tags take "today" from the page (the view computed it once, at the edge); they never read
the clock themselves."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import PomProfileFactory
from tests.handover.pages_setup import TODAY, make_case

pytestmark = pytest.mark.django_db

CLOCK = dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC)  # far from the page's today: a tag reading it would show


def _render(text, **context):
    return Template("{% load handover %}" + text).render(Context(context))


@pytest.fixture
def case(prison, pom_user):
    pom = PomProfileFactory(user=pom_user, prison=prison)
    return make_case(prison=prison, days=30, pom=pom)


def _request(user, prison):
    request = RequestFactory().get("/")
    request.user, request.prison = user, prison
    return request


def test_the_panel_counts_days_from_the_today_it_is_given(case, pom_user, prison):
    with time_machine.travel(CLOCK, tick=False):
        page = _render(
            "{% handover_panel prisoner today %}", request=_request(pom_user, prison), prisoner=case, today=TODAY
        )
    handover_date = case.calculated_handover.handover_date
    assert f"in {(handover_date - TODAY).days} days" in page
    assert "passed" not in page


def test_the_home_counts_use_the_today_they_are_given(case, pom_user, prison):
    from handover.templatetags.handover import handover_home_counts

    context = Context({"request": _request(pom_user, prison), "prison": prison})
    with time_machine.travel(CLOCK, tick=False):
        at_today = handover_home_counts(context, TODAY, mine=True)["counts"]
    from handover.selectors import HandoverScope, handover_counts

    assert at_today == handover_counts(scope=HandoverScope(prison=prison, user=pom_user), today=TODAY)
    assert at_today != handover_counts(scope=HandoverScope(prison=prison, user=pom_user), today=CLOCK.date())
