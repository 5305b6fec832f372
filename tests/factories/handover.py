"""Factories for the handover engine's stored rows (results, overrides, checklists, alerts, email preferences), and
``handover_case`` to build a whole case in one call.

Stored results are made directly (never through the sweep): ``CalculatedHandoverFactory`` relative to the ``today``
a test passes in (30 days to the handover by default), ``StoredHandoverFactory`` relative to ``REFERENCE_DAY``.
"""

import datetime as dt

import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import Alert
from handover.models import CalculatedHandover, HandoverChecklist, HandoverEmailPreference, ResponsibilityOverride
from tests.factories.allocation import PomAllocationFactory
from tests.factories.cases import (
    REFERENCE_DAY,
    CaseInformationFactory,
    PrisonerFactory,
    SentenceFactory,
    UserFactory,
)

__all__ = [
    "AlertFactory",
    "CalculatedHandoverFactory",
    "HandoverChecklistFactory",
    "HandoverEmailPreferenceFactory",
    "PomAllocationFactory",
    "PrimaryPomFactory",
    "ResponsibilityOverrideFactory",
    "StoredHandoverFactory",
    "day",
    "handover_case",
]


class CalculatedHandoverFactory(factory.django.DjangoModelFactory):
    """A stored result of a standard determinate case, POM responsible, current policy, handing over
    ``days_to_handover`` days after ``today`` (30 days from the real today by default)."""

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


class StoredHandoverFactory(CalculatedHandoverFactory):
    """The same, calculated on ``REFERENCE_DAY`` with the handover 4 months after it."""

    class Params:
        today = REFERENCE_DAY

    handover_date = factory.LazyAttribute(lambda o: o.today + relativedelta(months=4))
    earliest_release_date = factory.LazyAttribute(lambda o: o.handover_date + relativedelta(months=8, days=14))


class ResponsibilityOverrideFactory(factory.django.DjangoModelFactory):
    """An active override of the case's responsibility to the COM, made by a HOMD (D-06)."""

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


class HandoverEmailPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverEmailPreference

    user = factory.SubFactory(UserFactory)


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    prisoner = factory.SubFactory(PrisonerFactory)
    prison = factory.LazyAttribute(lambda o: o.prisoner.prison)
    kind = "handover_upcoming"
    message = "Handover to the COM soon and no COM is allocated yet"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    raised_on = factory.LazyFunction(timezone.localdate)


# The case's active primary POM at the prisoner's prison (the allocation factories' one, under the name the handover
# tests use).
PrimaryPomFactory = PomAllocationFactory


def handover_case(*, prison=None, release_in=None, today=REFERENCE_DAY, com=None, ldu=None, **sentence):
    """A sentenced prisoner with case information; ``release_in`` (a relativedelta) sets the CRD from ``today``.

    Sentence fields may be given as keywords (``sentence_start_date=...``). Signals do not run their after-commit
    recalculation inside a test transaction, so this stores no handover by itself.
    """
    prisoner = PrisonerFactory(**({"prison": prison} if prison is not None else {}))
    if release_in is not None:
        sentence.setdefault("conditional_release_date", today + release_in)
        sentence.setdefault("sentence_start_date", today - relativedelta(years=1))
        sentence.setdefault("sentence_expiry_date", sentence["conditional_release_date"] + relativedelta(years=2))
        sentence.setdefault("licence_expiry_date", sentence["sentence_expiry_date"])
    SentenceFactory(prisoner=prisoner, **sentence)
    case = {"com": com}
    if ldu is not None:
        case["local_delivery_unit"] = ldu
    CaseInformationFactory(prisoner=prisoner, **case)
    return prisoner


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
