"""Factories for the casework records. One section per area; each helper adds its own."""

import datetime as dt

import factory
from django.utils import timezone

from cases.models import EarlyAllocation, ParoleReview
from casework.models import RecallPlacementDecision
from tests.factories.cases import REFERENCE_DAY, PrisonerFactory

# Parole reviews and recall placements (helper B)


class ParoleReviewFactory(factory.django.DjangoModelFactory):
    """A review not yet heard: the target hearing date 6 months after the reference day, no outcome."""

    class Meta:
        model = ParoleReview

    prisoner = factory.SubFactory(PrisonerFactory)
    review_id = factory.Sequence(lambda n: f"PR{n:06d}")
    target_hearing_date = factory.LazyFunction(lambda: REFERENCE_DAY + dt.timedelta(days=182))
    review_type = "Oral hearing"
    review_status = "Active"


class RecallPlacementDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecallPlacementDecision

    prisoner = factory.SubFactory(PrisonerFactory)
    recall_started_on = REFERENCE_DAY
    suggested = RecallPlacementDecision.Placement.RESETTLEMENT
    chosen = factory.LazyAttribute(lambda o: o.suggested)
    decided_at = factory.LazyFunction(timezone.now)


# Early allocation assessments (helper A)


class EarlyAllocationFactory(factory.django.DjangoModelFactory):
    """An automatically eligible assessment (a MAPPA level 3 case) made inside the referral window, just now."""

    class Meta:
        model = EarlyAllocation

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    oasys_risk_assessment_date = factory.LazyFunction(lambda: REFERENCE_DAY - dt.timedelta(days=30))
    convicted_under_terrorism_act_2000 = False
    high_profile = False
    serious_crime_prevention_order = False
    mappa_level_3 = True
    cppc_case = False
    outcome = EarlyAllocation.Outcome.ELIGIBLE
    created_within_referral_window = True
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        discretionary = factory.Trait(
            mappa_level_3=False,
            high_risk_of_serious_harm=True,
            mappa_level_2=False,
            extremism_screening=False,
            other_reason=False,
            extremism_separation=False,
            outcome=EarlyAllocation.Outcome.DISCRETIONARY,
            reason="Complex release plans with several agencies",
        )


# Case tasks (helper C)


class CaseTaskFactory(factory.django.DjangoModelFactory):
    """An open task due on the reference day."""

    class Meta:
        model = "casework.CaseTask"

    prisoner = factory.SubFactory(PrisonerFactory)
    kind = "initial_oasys"
    occurrence = ""
    owner = "pom"
    due_date = REFERENCE_DAY
    status = "due"
