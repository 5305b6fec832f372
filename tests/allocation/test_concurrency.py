"""Many people allocate the same case at the same moment (PostgreSQL, real transactions, one thread each):
exactly one allocation is saved and everyone else is told that someone else allocated the case."""

import pytest
from django.utils import timezone

from allocation.services import AllocationConflict, add_co_worker, allocate
from cases.models import PomAllocation
from tests.allocation.conftest import make_pom
from tests.concurrency import race
from tests.factories.allocation import ready_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8


def test_exactly_one_of_many_simultaneous_allocations_succeeds(prison, homd_user):
    prisoner = ready_case(prison=prison, tier="C")
    poms = [make_pom(prison, username=f"race{i}", first="Pom", last=f"Racer{i}") for i in range(THREADS)]
    today = timezone.localdate()

    outcomes = race(
        lambda i: allocate(prisoner, poms[i], actor=homd_user, today=today, expected_primary=None),
        THREADS,
        expected=(AllocationConflict,),
    )

    unexpected = [o for o in outcomes if isinstance(o, RuntimeError)]
    assert not unexpected, unexpected
    wins = [o for o in outcomes if isinstance(o, PomAllocation)]
    conflicts = [o for o in outcomes if isinstance(o, AllocationConflict)]
    assert len(wins) == 1
    assert len(conflicts) == THREADS - 1
    winner = wins[0].pom.user.get_full_name()
    for conflict in conflicts:
        assert f"Someone else allocated this case to {winner}" in conflict.messages[0]
    assert PomAllocation.objects.filter(prisoner=prisoner).count() == 1


def test_simultaneous_co_workers_one_wins(prison, homd_user):
    prisoner = ready_case(prison=prison, tier="C")
    poms = [make_pom(prison, username=f"co{i}", first="Co", last=f"Worker{i}") for i in range(THREADS + 1)]
    allocate(prisoner, poms[-1], actor=homd_user, today=timezone.localdate())

    outcomes = race(
        lambda i: add_co_worker(prisoner, poms[i], actor=homd_user), THREADS, expected=(AllocationConflict,)
    )

    assert sum(isinstance(o, PomAllocation) for o in outcomes) == 1
    assert sum(isinstance(o, AllocationConflict) for o in outcomes) == THREADS - 1
    assert PomAllocation.objects.filter(prisoner=prisoner, role="co_working").count() == 1
