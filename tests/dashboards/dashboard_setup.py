"""Shared set-up for the HOMD dashboard and national measures tests: a unit with cases on every list."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import PomAllocation, PomProfile
from handover.models import CalculatedHandover
from tests.allocation.conftest import make_pom
from tests.factories.allocation import PomAllocationFactory, ready_case
from tests.handover.pages_setup import make_case

COMMUNITY = CalculatedHandover.Responsibility.COMMUNITY
CUSTODY_ONLY = CalculatedHandover.Responsibility.CUSTODY_ONLY


def make_unit(prison, *, today=None, scale: int = 1, tag: str = "") -> dict:
    """POMs and cases in ``prison``: ``scale`` copies of each kind of case, so tests can show counts and query
    counts with more rows. ``tag`` keeps usernames apart when called twice."""
    today = today or timezone.localdate()
    poms = [
        make_pom(prison, username=f"pa{tag}", first="Priya", last="Adams"),
        make_pom(prison, username=f"pb{tag}", first="Paul", last="Baker", fte="0.5"),
        make_pom(prison, username=f"po{tag}", first="Olu", last="Okoro", pom_type=PomProfile.PomType.PROBATION),
    ]
    made = {"poms": poms, "to_allocate": [], "missing": [], "allocated": []}
    for i in range(scale):
        made["to_allocate"].append(ready_case(prison=prison, prison_arrival_date=today - dt.timedelta(days=10 + i)))
        made["to_allocate"].append(ready_case(prison=prison, tier="A", prison_arrival_date=today))
        made["missing"].append(ready_case(prison=prison, tier=""))
        # Handover lists: upcoming (no COM), in progress with a COM, COM allocation overdue.
        cases = [
            make_case(prison=prison, today=today, days=20, pom=poms[0]),
            make_case(prison=prison, today=today, days=-10, responsibility=COMMUNITY, com=True, pom=poms[1]),
            make_case(prison=prison, today=today, days=-5, responsibility=COMMUNITY, pom=poms[2]),
            make_case(prison=prison, today=today, days=300, pom=poms[1]),
        ]
        PomAllocationFactory(prisoner=cases[3], pom=poms[0], role=PomAllocation.Role.CO_WORKING)
        made["allocated"].extend(cases)
    return made


@pytest.fixture(autouse=True)
def fresh_cache():
    """The dashboard is cached per prison and day: every test starts (and ends) with an empty cache."""
    cache.clear()
    yield
    cache.clear()
