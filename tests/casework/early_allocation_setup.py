"""Shared set-up for the early allocation tests: a determinate case whose release is ``release_in`` from today, with a
probation delivery unit (with or without a mailbox), its stored handover calculated, and optionally its POM."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from handover.models import CalculatedHandover
from handover.services.recalculation import recalculate
from tests.factories import (
    CaseInformationFactory,
    LocalDeliveryUnitFactory,
    PomProfileFactory,
    PrisonerFactory,
    SentenceFactory,
)
from tests.factories.allocation import PomAllocationFactory

RELEASE_IN = relativedelta(months=12)
STATUTORY_NO = {
    "convicted_under_terrorism_act_2000": False,
    "high_profile": False,
    "serious_crime_prevention_order": False,
    "mappa_level_3": False,
    "cppc_case": False,
}
DISCRETIONARY_NO = {
    "high_risk_of_serious_harm": False,
    "mappa_level_2": False,
    "extremism_screening": False,
    "other_reason": False,
    "extremism_separation": False,
}


def ea_case(
    *,
    prison,
    today: dt.date | None = None,
    release_in=RELEASE_IN,
    pom_user=None,
    ldu_email="default",
    ldu=True,
    prisoner_kwargs=None,
):
    """The conditional release date is ``release_in`` after today (12 months: inside the 18-month window; a
    standard handover 8 months 14 days before it, an early allocation one 15 months before)."""
    today = today or timezone.localdate()
    prisoner = PrisonerFactory(prison=prison, **(prisoner_kwargs or {}))
    start = today - relativedelta(years=1)
    SentenceFactory(
        prisoner=prisoner,
        sentence_start_date=start,
        conditional_release_date=today + release_in,
        sentence_expiry_date=today + release_in + relativedelta(years=2),
        licence_expiry_date=today + release_in + relativedelta(years=2),
    )
    unit = None
    if ldu:
        unit = LocalDeliveryUnitFactory() if ldu_email == "default" else LocalDeliveryUnitFactory(email=ldu_email)
    CaseInformationFactory(prisoner=prisoner, local_delivery_unit=unit, probation_region="")
    if pom_user is not None:
        pom = PomProfileFactory(user=pom_user, prison=prison)
        PomAllocationFactory(prisoner=prisoner, pom=pom)
    recalculate(prisoner.pk, today=today, trigger="test set-up")
    return prisoner


def stored_handover_date(prisoner) -> dt.date | None:
    return CalculatedHandover.objects.get(prisoner=prisoner).handover_date


def answers(more: dict | None = None, **overrides) -> dict:
    """Service input: an OASys a month ago and every statutory answer "no", then ``more`` and ``overrides``."""
    data = {"oasys_risk_assessment_date": timezone.localdate() - dt.timedelta(days=30), **STATUTORY_NO}
    data.update(more or {})
    data.update(overrides)
    return data
