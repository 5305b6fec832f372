"""Shared set-up for the caseload, profile and search tests: a fixed today and a POM with cases."""

import datetime as dt

from tests.factories import PomProfileFactory
from tests.handover.pages_setup import make_case

NOON = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)


def at(days_ago: int) -> dt.datetime:
    return NOON - dt.timedelta(days=days_ago)


def pom_with_cases(*, prison, user, n: int, **case_kwargs):
    """A POM profile for ``user`` with ``n`` cases, handing over 10, 11, ... days from TODAY."""
    pom = PomProfileFactory(user=user, prison=prison)
    cases = [make_case(prison=prison, days=10 + i, pom=pom, **case_kwargs) for i in range(n)]
    return pom, cases
