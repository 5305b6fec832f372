"""Demo allocations: a realistic share of ready cases get a POM of the recommended type, the load spread out."""

import random

import pytest
from django.utils import timezone

from allocation.demo import demo_allocations_make
from cases.models import PomAllocation
from tests.factories.allocation import ready_case

pytestmark = pytest.mark.django_db


def test_demo_allocations(prison, poms):
    for i in range(40):
        ready_case(prison=prison, tier="ABCD"[i % 4])
    made = demo_allocations_make(rng=random.Random(1), prison_codes=[prison.code], today=timezone.localdate())
    primaries = PomAllocation.objects.filter(role="primary")
    assert made == PomAllocation.objects.count()
    assert 20 <= primaries.count() <= 38
    for allocation in primaries.select_related("pom", "prisoner__case_information"):
        expected = "probation" if allocation.prisoner.case_information.tier in "AB" else "prison"
        assert allocation.recommended_pom_type == expected
        assert allocation.pom.pom_type == expected
    loads = [primaries.filter(pom=poms[k]).count() for k in ("prison_a", "prison_b")]
    assert abs(loads[0] - loads[1]) <= 1
