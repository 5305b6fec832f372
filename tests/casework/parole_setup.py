"""Shared set-up for the parole and recall tests: an indeterminate case past its tariff with parole reviews, whose
stored handover the engine has calculated."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from cases.models import ParoleReview
from handover.services.recalculation import recalculate
from tests.factories import (
    CaseInformationFactory,
    PomProfileFactory,
    PrisonerFactory,
    SentenceFactory,
    StaffProfileFactory,
    UserFactory,
)
from tests.factories.allocation import PomAllocationFactory

TODAY = dt.date(2026, 11, 24)
NEXT_HEARING_IN = relativedelta(months=14)


def isp_case(*, prison, today=TODAY, pom=None, mappa_level=1, thd_in=NEXT_HEARING_IN, store=True):
    """An indeterminate sentence past its tariff, with a past review (no outcome yet) and the next hearing ``thd_in``
    from today. Until a "not release" outcome is recorded the general rules apply (POM responsible)."""
    prisoner = PrisonerFactory(prison=prison)
    SentenceFactory(
        prisoner=prisoner,
        sentence_type="indeterminate",
        sentence_start_date=dt.date(2012, 1, 1),
        tariff_expiry_date=today - relativedelta(years=1),
        conditional_release_date=None,
        sentence_expiry_date=None,
        licence_expiry_date=None,
    )
    CaseInformationFactory(prisoner=prisoner, mappa_level=mappa_level)
    past = ParoleReview.objects.create(
        prisoner=prisoner, review_id=f"P{prisoner.pk}", target_hearing_date=today - relativedelta(months=1)
    )
    ParoleReview.objects.create(prisoner=prisoner, review_id=f"N{prisoner.pk}", target_hearing_date=today + thd_in)
    if pom is not None:
        PomAllocationFactory(prisoner=prisoner, pom=pom)
    if store:
        recalculate(prisoner.pk, today=today, trigger="test set-up")
    return prisoner, past


def pom_for(prison, *, username="pom", email=None):
    user = UserFactory(username=username, roles=["pom"], email=email or f"{username}@justice.example.gov.uk")
    StaffProfileFactory(user=user, prisons=[prison])
    return PomProfileFactory(prison=prison, user=user)
