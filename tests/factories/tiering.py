"""Factories for the tiering engine's records."""

import datetime as dt

import factory
from django.utils import timezone

from tests.factories.cases import PrisonerFactory
from tiering.models import TierInputs, TierRecord


class TierInputsFactory(factory.django.DjangoModelFactory):
    """A case's probation inputs for the V2 model: by default RSR 8 (protect B) and OGRS 55 (change 1): B1."""

    class Meta:
        model = TierInputs

    prisoner = factory.SubFactory(PrisonerFactory)
    model = TierInputs.Model.V2
    inputs = factory.LazyFunction(lambda: {"rsr": 8, "ogrs": 55})
    source = TierInputs.Source.PROBATION
    updated_at = factory.LazyFunction(timezone.now)
    updated_by = "probation"


class TierRecordFactory(factory.django.DjangoModelFactory):
    """A current tier entered by hand."""

    class Meta:
        model = TierRecord

    prisoner = factory.SubFactory(PrisonerFactory)
    current = True
    tier = "C"
    score = factory.LazyAttribute(lambda o: o.tier)
    model = ""
    source = TierRecord.Source.MANUAL
    reason = "Probation record not available"
    inputs = None
    breakdown = factory.LazyFunction(list)
    calculated_on = dt.date(2026, 11, 24)
    recorded_at = factory.LazyFunction(timezone.now)
    recorded_by_label = "homd"
