"""Factories for the handover pages' tests: stored handover results, overrides, checklists, POM allocations, alerts.

Stored results are made directly (never through the sweep), relative to the ``today`` a test passes in.
"""

import datetime as dt

import factory
from django.utils import timezone

from cases.models import Alert, PomAllocation
from handover.models import CalculatedHandover, HandoverChecklist, ResponsibilityOverride
from tests.factories.cases import PomProfileFactory, PrisonerFactory, UserFactory


class CalculatedHandoverFactory(factory.django.DjangoModelFactory):
    """A standard determinate case, POM responsible, handing over on ``handover_date`` (30 days ahead by default)."""

    class Meta:
        model = CalculatedHandover

    class Params:
        today = factory.LazyFunction(timezone.localdate)
        days_to_handover = 30

    prisoner = factory.SubFactory(PrisonerFactory)
    inside_omic_policy = True
    responsibility = CalculatedHandover.Responsibility.CUSTODY_ONLY
    handover_date = factory.LazyAttribute(lambda o: o.today + dt.timedelta(days=o.days_to_handover))
    handover_start_date = factory.LazyAttribute(lambda o: o.handover_date)
    reason = "determinate"
    handover_type = CalculatedHandover.HandoverType.STANDARD
    policy = "current"
    earliest_release_type = "CRD"
    earliest_release_date = factory.LazyAttribute(
        lambda o: o.handover_date + dt.timedelta(days=258) if o.handover_date else None
    )
    inputs = factory.LazyFunction(dict)
    calculated_on = factory.LazyAttribute(lambda o: o.today)
    last_calculated_at = factory.LazyFunction(timezone.now)
    last_changed_at = factory.LazyFunction(timezone.now)


class ResponsibilityOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityOverride

    prisoner = factory.SubFactory(PrisonerFactory)
    reason = ResponsibilityOverride.Reason.COMMUNITY_DECISION
    created_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory, roles=["homd"])


class HandoverChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverChecklist

    prisoner = factory.SubFactory(PrisonerFactory)
    handover_type = CalculatedHandover.HandoverType.STANDARD


class PomAllocationFactory(factory.django.DjangoModelFactory):
    """An active primary allocation of the prisoner to a POM at the prisoner's prison."""

    class Meta:
        model = PomAllocation

    prisoner = factory.SubFactory(PrisonerFactory)
    pom = factory.SubFactory(PomProfileFactory, prison=factory.SelfAttribute("..prisoner.prison"))
    role = PomAllocation.Role.PRIMARY
    allocated_at = factory.LazyFunction(timezone.now)


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    kind = "handover_upcoming"
    message = "Handover to the COM soon and no COM is allocated yet"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    raised_on = factory.LazyFunction(timezone.localdate)
