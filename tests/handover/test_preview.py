"""The policy preview: which stored results another policy version would change, and how. It writes nothing."""

import datetime as dt

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from handover.models import CalculatedHandover
from handover.services.preview import policy_preview
from handover.services.sweep import sweep
from tests.factories import PrisonFactory
from tests.factories.handover import handover_case

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def stored_cases():
    leeds, moorland = PrisonFactory(code="LEI"), PrisonFactory(code="MDI")
    cases = [handover_case(prison=leeds, release_in=relativedelta(months=m)) for m in (14, 20, 30)]
    cases.append(handover_case(prison=moorland, release_in=relativedelta(months=16)))
    sweep(today=TODAY)
    return cases


def test_the_policy_in_force_changes_nothing(stored_cases):
    assert policy_preview(policy="current", today=TODAY) == []


def test_an_older_policy_lists_the_changes_field_by_field(stored_cases):
    before = list(CalculatedHandover.objects.order_by("pk").values())
    rows = policy_preview(policy="2023-05", today=TODAY)  # 8.5 months like current: nothing moves
    assert rows == []
    rows = policy_preview(policy="2022-10", today=TODAY)
    assert [r.prison_number for r in rows] == sorted(p.pk for p in stored_cases)
    first = rows[0]
    assert (first.stored_policy, first.preview_policy) == ("current", "2022-10")
    changed = {d.field: d for d in first.differences}
    assert "handover_date" in changed
    # No probation provider is recorded, so 2022-10 takes the CRC path (D-20): 12 weeks before the release date.
    release = TODAY + relativedelta(months=14)
    assert changed["handover_date"].stored == release - relativedelta(months=8) - dt.timedelta(days=14)
    assert changed["handover_date"].preview == release - dt.timedelta(weeks=12)
    assert list(CalculatedHandover.objects.order_by("pk").values()) == before  # nothing written


def test_one_prison_and_a_few_queries(stored_cases, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = policy_preview(policy="2022-10", today=TODAY, prison_code="MDI")
    assert [r.prison_code for r in rows] == ["MDI"]


def test_a_case_that_cannot_be_calculated_is_listed_with_its_error(stored_cases, monkeypatch):
    from handover.services import preview

    def broken(facts, as_of, policy=None):
        raise ValueError("no such rule")

    monkeypatch.setattr(preview, "calculate", broken)
    rows = policy_preview(policy="2019", today=TODAY, prison_code="MDI")
    assert rows[0].error == "ValueError: no such rule"


@time_machine.travel(dt.datetime(2026, 11, 24, 12, 0), tick=False)
def test_handover_preview_command(stored_cases, capsys):
    call_command("handover_preview", "--policy", "2022-10", "--prison", "lei")
    out = capsys.readouterr().out
    assert "3 cases would change under policy 2022-10; 0 errors" in out
    assert "Handover date:" in out
    call_command("handover_preview", "--policy", "2022-10", "--csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "prison number,name,prison,stored policy,field,stored,preview,error"
    assert any(",Handover date," in line for line in lines[1:])
