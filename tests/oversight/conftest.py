"""Shared set-up for the oversight tests: POMs with caseloads, and audits completed in one call."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from oversight.services import oversight_audit_complete
from tests.factories import PomProfileFactory, PrisonerFactory, StaffProfileFactory, UserFactory
from tests.factories.allocation import PomAllocationFactory

TODAY = dt.date(2026, 11, 24)
MONTH = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/London"))


def make_pom(*, prison, cases=0, username=None, first_name="Pat", last_name="Morgan"):
    """A signed-in-able POM working at the prison with ``cases`` active primary allocations of people held there."""
    kwargs = {"roles": ["pom"], "first_name": first_name, "last_name": last_name}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    StaffProfileFactory(user=user, prisons=[prison])
    profile = PomProfileFactory(user=user, prison=prison)
    for _ in range(cases):
        PomAllocationFactory(prisoner=PrisonerFactory(prison=prison), pom=profile)
    return profile


def complete(audit, *, auditor, answer="yes", now=NOW, **answers):
    values = {name: answers.get(name, answer) for name in audit.answers()}
    return oversight_audit_complete(
        audit=audit, answers=values, notes={"overall_notes": "Good work."}, auditor=auditor, now=now
    )


@pytest.fixture
def homs_user(staff_user_factory, prison):
    return staff_user_factory(roles=["homs"], prisons=[prison], username="homs")
