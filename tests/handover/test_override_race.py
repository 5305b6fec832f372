"""Two HOMDs override the same case at the same moment (PostgreSQL, real transactions): one override is saved and
the other HOMD is told it is already overridden — never a 500 from the unique constraint."""

import pytest
from django.core.exceptions import ValidationError

from handover.models import ResponsibilityOverride
from handover.services.overrides import ALREADY_OVERRIDDEN, responsibility_override_create
from tests.concurrency import race
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def test_simultaneous_overrides_one_wins(prison, staff_user_factory):
    prisoner = make_case(prison=prison, days=20)
    homds = [staff_user_factory(roles=["homd"], prisons=[prison], username=f"homd{i}") for i in range(THREADS)]
    outcomes = race(
        lambda i: responsibility_override_create(prisoner=prisoner, reason="community_decision", actor=homds[i]),
        THREADS,
        expected=(ValidationError,),
    )

    assert not [o for o in outcomes if isinstance(o, RuntimeError)]
    assert sum(isinstance(o, ResponsibilityOverride) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all(e.messages == [ALREADY_OVERRIDDEN] for e in refused)
    assert ResponsibilityOverride.objects.filter(prisoner=prisoner).count() == 1
