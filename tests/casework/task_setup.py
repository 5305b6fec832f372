"""Shared set-up for the case task tests: a sentenced case, optionally with a primary POM, in one call."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from cases.models import PomAllocation
from tests.factories import CaseInformationFactory, PrisonerFactory, SentenceFactory
from tests.factories.allocation import PomAllocationFactory

TODAY = dt.date(2026, 11, 24)


def make_case(*, prison, pom=None, start=None, years=5, prisoner_kwargs=None, sentence_kwargs=None, **case_kwargs):
    """A prisoner in ``prison`` with a determinate sentence starting ``start`` (default 12 weeks before TODAY, so the
    initial OASys is overdue) released ``years`` later, medium RoSH case information and, if ``pom`` (a
    PomProfile) is given, an active primary allocation to them."""
    start = start or TODAY - dt.timedelta(weeks=12)
    prisoner = PrisonerFactory(prison=prison, **(prisoner_kwargs or {}))
    SentenceFactory(
        prisoner=prisoner,
        sentence_start_date=start,
        conditional_release_date=start + relativedelta(years=years),
        sentence_expiry_date=start + relativedelta(years=years * 2),
        **(sentence_kwargs or {}),
    )
    CaseInformationFactory(prisoner=prisoner, **case_kwargs)
    if pom is not None:
        PomAllocationFactory(prisoner=prisoner, pom=pom, role=PomAllocation.Role.PRIMARY)
    return prisoner


def eager_jobs():
    """A context manager: queued jobs run inline, even with a real broker configured."""
    import contextlib

    from omic.celery import app

    @contextlib.contextmanager
    def inline():
        saved = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            yield
        finally:
            app.conf.task_always_eager = saved

    return inline()
