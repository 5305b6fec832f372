"""Factories for allocations, and ``ready_case`` to build a case that is ready to allocate in one call."""

import factory
from django.utils import timezone

from cases.models import PomAllocation
from tests.factories.cases import (
    CaseInformationFactory,
    PomProfileFactory,
    PrisonerFactory,
    SentenceFactory,
)


class PomAllocationFactory(factory.django.DjangoModelFactory):
    """An active primary allocation of a POM at the prisoner's prison."""

    class Meta:
        model = PomAllocation

    prisoner = factory.SubFactory(PrisonerFactory)
    pom = factory.SubFactory(PomProfileFactory, prison=factory.SelfAttribute("..prisoner.prison"))
    role = PomAllocation.Role.PRIMARY
    allocated_at = factory.LazyFunction(timezone.now)


def ready_case(*, prison, tier="C", **prisoner_fields):
    """A sentenced prisoner with a sentence and case information with a tier (ready for the To allocate list), or
    with a blank tier (``tier=""``: missing details)."""
    prisoner = PrisonerFactory(prison=prison, **prisoner_fields)
    SentenceFactory(prisoner=prisoner)
    if tier:
        CaseInformationFactory(prisoner=prisoner, tier=tier)
    else:
        CaseInformationFactory(prisoner=prisoner, tier="", tier_source="", tier_date=None)
    return prisoner
