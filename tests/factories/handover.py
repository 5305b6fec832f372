"""Factories for the handover engine's stored rows, and ``handover_case`` to build a whole case in one call."""

import datetime as dt

import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import PomAllocation
from handover.models import CalculatedHandover, HandoverChecklist, HandoverEmailPreference
from tests.factories.cases import (
    REFERENCE_DAY,
    CaseInformationFactory,
    PomProfileFactory,
    PrisonerFactory,
    SentenceFactory,
)


class StoredHandoverFactory(factory.django.DjangoModelFactory):
    """A stored result: POM responsible, handover in 4 months, current policy."""

    class Meta:
        model = CalculatedHandover

    prisoner = factory.SubFactory(PrisonerFactory)
    inside_omic_policy = True
    responsibility = CalculatedHandover.Responsibility.CUSTODY_ONLY
    handover_date = factory.LazyFunction(lambda: REFERENCE_DAY + relativedelta(months=4))
    handover_start_date = factory.LazyAttribute(lambda o: o.handover_date)
    reason = "determinate"
    handover_type = CalculatedHandover.HandoverType.STANDARD
    policy = "current"
    earliest_release_type = "CRD"
    earliest_release_date = factory.LazyAttribute(lambda o: o.handover_date + relativedelta(months=8, days=14))
    calculated_on = REFERENCE_DAY
    last_calculated_at = factory.LazyFunction(timezone.now)
    last_changed_at = factory.LazyFunction(timezone.now)


class HandoverChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverChecklist

    prisoner = factory.SubFactory(PrisonerFactory)
    handover_type = CalculatedHandover.HandoverType.STANDARD


class HandoverEmailPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandoverEmailPreference

    user = factory.SubFactory("tests.factories.cases.UserFactory")


class PrimaryPomFactory(factory.django.DjangoModelFactory):
    """The case's active primary POM."""

    class Meta:
        model = PomAllocation

    prisoner = factory.SubFactory(PrisonerFactory)
    pom = factory.SubFactory(PomProfileFactory, prison=factory.SelfAttribute("..prisoner.prison"))
    role = PomAllocation.Role.PRIMARY
    allocated_at = factory.LazyFunction(timezone.now)


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
