"""Shared fixtures and builders for the POM staff page tests (imported by the test_staff_* modules)."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import PomAllocation
from tests.factories import CaseInformationFactory, PomProfileFactory, PrisonerFactory, SentenceFactory, UserFactory


def make_pom(prison, *, first, last, pom_type="prison", status="active", fte="1.0", username=None):
    user = UserFactory(username=username or f"{first}.{last}".lower(), first_name=first, last_name=last, roles=["pom"])
    return PomProfileFactory(user=user, prison=prison, pom_type=pom_type, status=status, working_pattern=fte)


def make_case(prison, *, tier="C", **prisoner):
    prisoner = PrisonerFactory(prison=prison, **prisoner)
    SentenceFactory(prisoner=prisoner)
    CaseInformationFactory(prisoner=prisoner, tier=tier)
    return prisoner


def allocate_directly(prisoner, pom, *, role=PomAllocation.Role.PRIMARY, when=None):
    """An allocation row as the allocation service would leave it, without the service's emails."""
    return PomAllocation.objects.create(
        prisoner=prisoner,
        pom=pom,
        role=role,
        allocated_at=when or timezone.now() - dt.timedelta(days=3),
        recommended_pom_type=pom.pom_type,
    )


@pytest.fixture
def staff_estate(prison, staff_user_factory):
    """Two prison POMs and a probation POM at Leeds; Ann (prison POM) holds two tier C cases and co-works one B."""
    ann = make_pom(prison, first="Ann", last="Able", username="ann")
    bob = make_pom(prison, first="Bob", last="Brown", username="bob")
    cat = make_pom(prison, first="Cat", last="Cole", pom_type="probation", fte="0.5", username="cat")
    c1, c2 = make_case(prison, tier="C"), make_case(prison, tier="C")
    b1 = make_case(prison, tier="B")
    allocate_directly(c1, ann)
    allocate_directly(c2, ann)
    allocate_directly(b1, cat)
    allocate_directly(b1, ann, role=PomAllocation.Role.CO_WORKING)
    homd = staff_user_factory(roles=["homd"], prisons=[prison], username="homd")
    return {"ann": ann, "bob": bob, "cat": cat, "cases": [c1, c2], "b1": b1, "homd": homd}
