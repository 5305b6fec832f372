"""Several people start a progression plan for the same prisoner at the same moment (PostgreSQL, real transactions,
one thread each): one plan is made, and everyone else is told the prisoner already has one, not a database error."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from keywork.models import ProgressionPlan
from keywork.recording_services import progression_plan_create
from tests.concurrency import race
from tests.factories import PrisonerFactory
from tests.factories.keywork_recording import key_worker_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6
TODAY = dt.date(2026, 11, 25)


def test_exactly_one_of_many_simultaneous_plans_is_made(prison):
    prisoner = PrisonerFactory(prison=prison)
    key_workers = [key_worker_user(prison=prison, username=f"kw{i}") for i in range(THREADS)]

    outcomes = race(
        lambda i: progression_plan_create(
            prison=prison,
            prisoner=prisoner,
            has_sentence_plan=False,
            pom_agreed=False,
            agreed_by_pom=None,
            goals=[(f"Goal from key worker {i}", TODAY + dt.timedelta(days=30))],
            actor=key_workers[i],
            today=TODAY,
        ),
        THREADS,
        expected=(ValidationError,),
    )

    unexpected = [o for o in outcomes if isinstance(o, RuntimeError)]
    assert not unexpected, unexpected  # an IntegrityError from kw_plan_one_active would land here
    plans = [o for o in outcomes if isinstance(o, ProgressionPlan)]
    refusals = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(plans) == 1
    assert len(refusals) == THREADS - 1
    assert all("already has a progression plan" in r.messages[0] for r in refusals)
    assert ProgressionPlan.objects.filter(prisoner=prisoner).count() == 1
    assert plans[0].goals.count() == 1
