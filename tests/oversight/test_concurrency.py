"""The monthly job and the HOMD draw at the same moment, and two managers add the same case at once (PostgreSQL,
real transactions, one thread each): each POM is sampled once and each case audited once a month."""

import pytest
from django.core.exceptions import ValidationError

from oversight.models import OversightAudit, OversightSample
from oversight.services import oversight_case_add, oversight_sample_draw
from tests.concurrency import race
from tests.oversight.conftest import NOW, TODAY, make_pom

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def test_simultaneous_draws_sample_each_pom_once(prison):
    poms = [make_pom(prison=prison, cases=4, username=f"race{i}") for i in range(3)]

    outcomes = race(lambda i: oversight_sample_draw(prison=prison, today=TODAY, now=NOW), THREADS, expected=())

    unexpected = [o for o in outcomes if isinstance(o, RuntimeError)]
    assert not unexpected, unexpected
    assert sum(len(o) for o in outcomes) == 3
    assert OversightSample.objects.count() == 3
    for pom in poms:
        assert OversightAudit.objects.filter(pom=pom).count() == 2


def test_simultaneous_hand_additions_of_one_case_add_it_once(prison, homd_user):
    pom = make_pom(prison=prison, cases=1)
    prisoner = pom.allocations.get().prisoner

    outcomes = race(
        lambda i: oversight_case_add(prison=prison, prison_number=prisoner.pk, today=TODAY, now=NOW, actor=homd_user),
        THREADS,
        expected=(ValidationError,),
    )

    assert sum(isinstance(o, OversightAudit) for o in outcomes) == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == THREADS - 1
    assert all("already in the audits" in str(o) for o in refused)
    assert OversightAudit.objects.filter(prisoner=prisoner).count() == 1
