"""The demo oversight for seed_demo: three months of samples, past months audited, actions for weaker audits."""

import random

import pytest

from oversight.demo import demo_oversight_make
from oversight.models import OversightAction, OversightAudit, OversightSample
from tests.oversight.conftest import MONTH, TODAY, make_pom

pytestmark = pytest.mark.django_db


def test_the_demo_makes_three_months_of_oversight_and_is_repeatable(prison, homd_user):
    for n in range(3):
        make_pom(prison=prison, cases=4, username=f"demo{n}")
    tally = demo_oversight_make(rng=random.Random(7), prison_codes=[prison.code], today=TODAY)
    assert tally["oversight samples"] == 9 == OversightSample.objects.count()
    past = OversightAudit.objects.exclude(month=MONTH)
    assert past.count() == 12
    assert past.filter(completed_at=None).count() == 0
    this_month = OversightAudit.objects.filter(month=MONTH)
    assert 0 < this_month.filter(completed_at=None).count() <= 6
    assert tally["oversight actions"] == OversightAction.objects.count() > 0
    # A second run draws nothing new and leaves the completed audits alone.
    again = demo_oversight_make(rng=random.Random(7), prison_codes=[prison.code], today=TODAY)
    assert again["oversight samples"] == 0
    assert OversightAudit.objects.count() == 18
