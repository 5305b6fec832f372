"""The tiering services never read the clock: "today" is computed once at the edge (view, task, command) and passed
in, so each service needs it as a keyword."""

import inspect

import pytest

from tiering.services import tier_inputs_update, tier_recalculate, tier_recalculate_all, tier_set_by_hand


@pytest.mark.parametrize("service", [tier_recalculate, tier_inputs_update, tier_set_by_hand, tier_recalculate_all])
def test_today_is_a_required_keyword(service):
    today = inspect.signature(service).parameters["today"]
    assert today.kind is inspect.Parameter.KEYWORD_ONLY
    assert today.default is inspect.Parameter.empty


@pytest.mark.django_db
def test_calling_without_today_is_refused_before_anything_is_written(prison):
    from tests.factories import PrisonerFactory
    from tiering.models import TierInputs, TierRecord

    prisoner = PrisonerFactory(prison=prison)
    with pytest.raises(TypeError, match="today"):
        tier_inputs_update(prisoner, {"rsr": 8}, "probation")
    with pytest.raises(TypeError, match="today"):
        tier_set_by_hand(prisoner, "A", "Reason")
    with pytest.raises(TypeError, match="today"):
        tier_recalculate_all()
    assert not TierInputs.objects.exists()
    assert not TierRecord.objects.exists()
