"""Shared set-up for the handover pages' tests: a case with a stored handover, in one call."""

import datetime as dt

from cases.models import PomAllocation
from handover.models import CalculatedHandover
from tests.factories import CaseInformationFactory, CommunityOffenderManagerFactory, PrisonerFactory, SentenceFactory
from tests.factories.handover import CalculatedHandoverFactory, PomAllocationFactory

TODAY = dt.date(2026, 11, 24)

CUSTODY_ONLY = CalculatedHandover.Responsibility.CUSTODY_ONLY
CUSTODY_WITH_COM = CalculatedHandover.Responsibility.CUSTODY_WITH_COM
COMMUNITY = CalculatedHandover.Responsibility.COMMUNITY


def make_case(
    *,
    prison,
    today=TODAY,
    days=30,
    responsibility=CUSTODY_ONLY,
    com=False,
    pom=None,
    role=PomAllocation.Role.PRIMARY,
    handover_type="standard",
    prisoner_kwargs=None,
    **handover_kwargs,
):
    """A prisoner in ``prison`` with a sentence, case information (a COM if ``com``), a stored handover ``days``
    from ``today`` (None for no dates) and, if ``pom`` (a PomProfile) is given, an active allocation to them."""
    prisoner = PrisonerFactory(prison=prison, **(prisoner_kwargs or {}))
    SentenceFactory(prisoner=prisoner)
    CaseInformationFactory(prisoner=prisoner, com=CommunityOffenderManagerFactory() if com else None)
    # In a transactional test the engine's on-change recalculation may already have stored a result: ours replaces it.
    CalculatedHandover.objects.filter(prisoner=prisoner).delete()
    if days is None:
        handover_kwargs.setdefault("handover_date", None)
        handover_kwargs.setdefault("handover_start_date", None)
    CalculatedHandoverFactory(
        prisoner=prisoner,
        today=today,
        days_to_handover=days or 0,
        responsibility=responsibility,
        handover_type=handover_type,
        **handover_kwargs,
    )
    if pom is not None:
        PomAllocationFactory(prisoner=prisoner, pom=pom, role=role)
    return prisoner
