"""Two HOMDs override the same case at the same moment (PostgreSQL, real transactions): one override is saved and
the other HOMD is told it is already overridden — never a 500 from the unique constraint."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from handover.models import ResponsibilityOverride
from handover.services.overrides import ALREADY_OVERRIDDEN, responsibility_override_create
from tests.handover.pages_setup import make_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def test_simultaneous_overrides_one_wins(prison, staff_user_factory):
    prisoner = make_case(prison=prison, days=20)
    homds = [staff_user_factory(roles=["homd"], prisons=[prison], username=f"homd{i}") for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait(timeout=30)
            result = responsibility_override_create(prisoner=prisoner, reason="community_decision", actor=homds[i])
        except ValidationError as error:
            result = error
        except Exception as error:  # noqa: BLE001 - an unexpected error fails the test below, with its text
            result = RuntimeError(repr(error))
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not [o for o in outcomes if isinstance(o, RuntimeError)]
    assert sum(isinstance(o, ResponsibilityOverride) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all(e.messages == [ALREADY_OVERRIDDEN] for e in refused)
    assert ResponsibilityOverride.objects.filter(prisoner=prisoner).count() == 1
