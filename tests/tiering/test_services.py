"""The tier record of a case: inputs, recalculation, hand entry, history, CaseInformation in step, and the audit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import AuditEvent, CaseInformation
from tests.factories import CaseInformationFactory, PrisonerFactory, UserFactory
from tests.factories.tiering import TierInputsFactory, TierRecordFactory
from tiering.models import TierInputs, TierRecord
from tiering.services import tier_inputs_update, tier_recalculate, tier_set_by_hand

pytestmark = pytest.mark.django_db


def _case_tier(prisoner):
    case = CaseInformation.objects.get(prisoner=prisoner)
    return case.tier, case.tier_source, case.tier_date


def test_inputs_update_calculates_records_and_creates_case_information(today):
    prisoner = PrisonerFactory()
    record = tier_inputs_update(prisoner, {"rsr": 23, "unsupervised_prc": True, "assessment": None}, "probation",
                                actor_label="delius", today=today)  # fmt: skip
    assert (record.tier, record.score, record.model, record.source) == ("B", "B2S", "v2", "calculated")
    assert record.current
    assert record.calculated_on == today
    assert record.inputs == {"rsr": 23, "unsupervised_prc": True, "assessment": None}
    assert ["Protect: RSR 23 (the higher of RSR and RoSH)", 20] in record.breakdown
    assert _case_tier(prisoner) == ("B", "calculated", today)
    actions = set(AuditEvent.objects.filter(prison_number=prisoner.pk).values_list("action", "object_type"))
    assert actions == {
        ("tier_inputs_updated", "tiering.TierInputs"),
        ("tier_calculated", "tiering.TierRecord"),
        ("created", "cases.CaseInformation"),
    }


def test_unchanged_inputs_write_nothing(today):
    prisoner = PrisonerFactory()
    tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today)
    events = AuditEvent.objects.count()
    tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today)
    tier_recalculate(prisoner, today=today.replace(day=25))
    assert TierRecord.objects.filter(prisoner=prisoner).count() == 1
    assert AuditEvent.objects.count() == events


def test_a_change_keeps_the_old_record_as_history_and_updates_case_information(today):
    prisoner = PrisonerFactory()
    CaseInformationFactory(prisoner=prisoner, tier="D", tier_source="imported")
    first = tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today)
    second = tier_inputs_update(prisoner, {"rsr": 8, "mappa_level": "M2"}, "probation", today=today)
    first.refresh_from_db()
    assert not first.current
    assert second.current
    assert second.tier == "A"
    assert list(TierRecord.objects.filter(prisoner=prisoner).values_list("score", flat=True)) == ["A1", "B1"]
    assert _case_tier(prisoner) == ("A", "calculated", today)
    event = AuditEvent.objects.filter(action="tier_calculated").order_by("-id").first()
    assert event.before["score"] == "B1"
    assert event.after["score"] == "A1"


def test_bad_inputs_are_refused_naming_the_field_and_nothing_is_saved(today):
    prisoner = PrisonerFactory()
    with pytest.raises(ValidationError) as error:
        tier_inputs_update(prisoner, {"rosh": "EXTREME"}, "probation", today=today)
    assert error.value.message_dict["inputs"][0].startswith("rosh:")
    assert not TierInputs.objects.exists()
    assert not TierRecord.objects.exists()
    with pytest.raises(ValidationError) as error:
        tier_inputs_update(prisoner, {}, "a rumour", today=today)
    assert "source" in error.value.message_dict


def test_v3_inputs_and_the_model_setting(settings, today):
    settings.TIER_MODEL = "v3"
    prisoner = PrisonerFactory()
    record = tier_inputs_update(prisoner, {"rosh": "MEDIUM", "arp": 90, "csrp": 6.9}, "probation", today=today)
    assert (record.model, record.tier, record.score, record.provisional) == ("v3", "A", "A", False)
    assert _case_tier(prisoner)[0] == "A"


def test_v3_not_supervised_clears_the_case_tier(today):
    prisoner = PrisonerFactory()
    CaseInformationFactory(prisoner=prisoner, tier="C")
    record = tier_inputs_update(prisoner, {"active_event": False}, "probation", model="v3", today=today)
    assert (record.tier, record.score) == ("", "NOT_SUPERVISED")
    assert _case_tier(prisoner) == ("", "", None)


def test_v3_lifer_moves_with_the_day_it_is_calculated_for(today):
    prisoner = PrisonerFactory()
    inputs = {"rosh": "MEDIUM", "lifer_ipp": True, "latest_release_date": "2025-11-24"}
    assert tier_inputs_update(prisoner, inputs, "probation", model="v3", today=today).tier == "B"
    assert tier_recalculate(prisoner, today=today.replace(day=25)).tier == "D"


def test_set_by_hand_needs_a_tier_and_a_reason(today):
    prisoner = PrisonerFactory()
    with pytest.raises(ValidationError) as error:
        tier_set_by_hand(prisoner, "H", "  ", today=today)
    assert set(error.value.message_dict) == {"tier", "reason"}


def test_set_by_hand_records_the_reason_and_who(today):
    prisoner = PrisonerFactory()
    user = UserFactory(username="homd1")
    record = tier_set_by_hand(prisoner, "E", "Probation record not available", user, today=today)
    assert (record.source, record.reason, record.recorded_by, record.recorded_by_label) == (
        "manual", "Probation record not available", user, "homd1")  # fmt: skip
    assert _case_tier(prisoner) == ("E", "manual", today)
    event = AuditEvent.objects.get(action="tier_set_by_hand")
    assert event.reason == "Probation record not available"
    assert event.actor == user


def test_a_hand_entry_stands_until_new_inputs_arrive(today):
    prisoner = PrisonerFactory()
    tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today)
    tier_set_by_hand(prisoner, "A", "Known to be MAPPA 3; the record is out of date", today=today)
    assert tier_recalculate(prisoner, today=today).source == "manual"
    assert tier_inputs_update(prisoner, {"rsr": 8}, "probation", today=today).source == "manual"
    record = tier_inputs_update(prisoner, {"rsr": 8, "mappa_level": "M3"}, "probation", today=today)
    assert (record.source, record.tier) == ("calculated", "A")
    assert TierRecord.objects.filter(prisoner=prisoner).count() == 3


def test_recalculate_without_inputs_does_nothing(today):
    prisoner = PrisonerFactory()
    assert tier_recalculate(prisoner, today=today) is None
    hand = TierRecordFactory(prisoner=prisoner)
    assert tier_recalculate(prisoner, today=today) == hand


def test_the_database_allows_one_current_record_per_case():
    prisoner = PrisonerFactory()
    TierRecordFactory(prisoner=prisoner)
    with pytest.raises(IntegrityError), transaction.atomic():
        TierRecordFactory(prisoner=prisoner)
    TierRecordFactory(prisoner=prisoner, current=False)


@pytest.mark.parametrize(
    "fields",
    [
        {"source": "manual", "reason": ""},
        {"source": "manual", "tier": "", "score": "MISSING"},
        {"source": "calculated", "model": "", "inputs": {}},
        {"source": "calculated", "model": "v2", "inputs": None},
        {"tier": "H"},
        {"source": "guessed"},
    ],
)
def test_the_database_refuses_incomplete_records(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        TierRecordFactory(**fields)


def test_stored_inputs_that_no_longer_fit_are_reported(today):
    inputs = TierInputsFactory(inputs={"rsr": "oops"})
    with pytest.raises(ValidationError) as error:
        tier_recalculate(inputs.prisoner, today=today)
    assert error.value.message_dict["inputs"][0].startswith("rsr:")
