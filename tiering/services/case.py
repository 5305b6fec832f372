"""Writes for one case: new tier inputs (then a recalculation), a tier entered by hand, and a recalculation.

Each is atomic, locks the case's row so two writers queue rather than race, writes only what changed, keeps
cases.CaseInformation's tier, source and date in step with the current record, and records an audit event for every
row it writes.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import Prisoner
from cases.services import case_tier_set, prisoner_lock
from tiering.calculations import InputError, parse_input
from tiering.models import TierInputs, TierRecord
from tiering.services.outcome import (
    Outcome,
    case_tier,
    hand_entry_stands,
    outcome_for,
    outcome_is_current,
    record_values,
)

TIER_LETTERS = tuple("ABCDEFG")


def _label(actor, actor_label: str) -> str:
    return actor_label or (actor.get_username() if actor is not None else "system")


def _case_information_sync(*, prisoner: Prisoner, record: TierRecord, actor, actor_label: str) -> None:
    tier, source, day = case_tier(record.tier, record.source, record.calculated_on)
    case_tier_set(
        prisoner=prisoner,
        tier=tier,
        tier_source=source,
        tier_date=day,
        actor=actor,
        actor_label=actor_label,
        reason="Tier record changed",
    )


def _record_replace(
    *, prisoner: Prisoner, new: TierRecord, actor, actor_label: str, action: str, reason: str = ""
) -> TierRecord:
    """Make ``new`` the case's current record, keeping the old one as history."""
    current = TierRecord.objects.filter(prisoner=prisoner, current=True).first()
    if current is not None:
        TierRecord.objects.filter(pk=current.pk).update(current=False)
    new.save()
    audit_record(
        action=action,
        obj=new,
        before=record_values(current),
        after=record_values(new),
        actor=actor,
        actor_label=actor_label,
        reason=reason,
        prisoner=prisoner,
    )
    _case_information_sync(prisoner=prisoner, record=new, actor=actor, actor_label=actor_label)
    return new


def _calculated_record(*, prisoner: Prisoner, outcome: Outcome, today: dt.date, actor, label: str) -> TierRecord:
    return TierRecord(
        prisoner=prisoner,
        tier=outcome.tier,
        score=outcome.score,
        model=outcome.model,
        provisional=outcome.provisional,
        source=TierRecord.Source.CALCULATED,
        inputs=outcome.inputs,
        breakdown=outcome.breakdown,
        calculated_on=today,
        recorded_at=timezone.now(),
        recorded_by=actor,
        recorded_by_label=label,
    )


@transaction.atomic
def tier_recalculate(
    prisoner: Prisoner, *, today: dt.date, actor=None, actor_label: str = "tier_recalculate"
) -> TierRecord | None:
    """Recalculate a case's tier from its stored inputs; write a new current record only when the result changed.

    Returns the current record afterwards (None when the case has neither inputs nor a record). A tier entered by hand
    after the inputs last changed stands. Raises ValidationError naming the field if the stored inputs no longer fit
    their model. ``today`` comes from the edge (the view, task or command).
    """
    prisoner_lock(prisoner.pk)
    inputs = TierInputs.objects.filter(prisoner=prisoner).first()
    current = TierRecord.objects.filter(prisoner=prisoner, current=True).first()
    if inputs is None or hand_entry_stands(current, inputs.updated_at):
        return current
    try:
        outcome = outcome_for(model=inputs.model, inputs=inputs.inputs, today=today)
    except InputError as error:
        raise ValidationError({"inputs": str(error)}) from error
    if outcome_is_current(outcome, current):
        return current
    label = _label(actor, actor_label)
    record = _calculated_record(prisoner=prisoner, outcome=outcome, today=today, actor=actor, label=label)
    return _record_replace(prisoner=prisoner, new=record, actor=actor, actor_label=label, action="tier_calculated")


@transaction.atomic
def tier_inputs_update(
    prisoner: Prisoner,
    inputs: dict,
    source: str,
    actor=None,
    *,
    today: dt.date,
    actor_label: str = "",
    model: str | None = None,
) -> TierRecord | None:
    """Store what probation sent for a case (or what was typed or imported), then recalculate its tier.

    ``model`` defaults to settings.TIER_MODEL. The inputs are checked by that model's own parser first; a bad field
    raises ValidationError naming it ({"inputs": "rsr: must be a number or null"}) and nothing is saved.
    """
    model = model or settings.TIER_MODEL
    if source not in TierInputs.Source.values:
        raise ValidationError({"source": f"must be one of {', '.join(TierInputs.Source.values)}"})
    try:
        parse_input(model, inputs)
    except InputError as error:
        raise ValidationError({"inputs": str(error)}) from error
    prisoner_lock(prisoner.pk)
    label = _label(actor, actor_label)
    stored = TierInputs.objects.filter(prisoner=prisoner).first()
    wanted = {"model": model, "inputs": inputs, "source": source}
    before = None if stored is None else {name: getattr(stored, name) for name in wanted}
    if before != wanted:
        stored = stored or TierInputs(prisoner=prisoner)
        for name, value in wanted.items():
            setattr(stored, name, value)
        stored.updated_at, stored.updated_by = timezone.now(), label
        stored.save()
        audit_record(
            action="tier_inputs_updated",
            obj=stored,
            before=before,
            after=wanted,
            actor=actor,
            actor_label=label,
            prisoner=prisoner,
        )
    return tier_recalculate(prisoner=prisoner, today=today, actor=actor, actor_label=label)


@transaction.atomic
def tier_set_by_hand(prisoner: Prisoner, tier: str, reason: str, actor=None, *, today: dt.date) -> TierRecord:
    """Enter a case's tier by hand, with the reason (D-10: when the inputs are not known). It stays the current tier
    until new inputs arrive. Raises ValidationError naming the field (tier, reason)."""
    errors = {}
    if tier not in TIER_LETTERS:
        errors["tier"] = "Select a tier from A to G"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter why the tier is being entered by hand"
    if errors:
        raise ValidationError(errors)
    prisoner_lock(prisoner.pk)
    label = _label(actor, "")
    record = TierRecord(
        prisoner=prisoner,
        tier=tier,
        score=tier,
        model="",
        source=TierRecord.Source.MANUAL,
        reason=reason,
        inputs=None,
        breakdown=[],
        calculated_on=today,
        recorded_at=timezone.now(),
        recorded_by=actor,
        recorded_by_label=label,
    )
    return _record_replace(
        prisoner=prisoner, new=record, actor=actor, actor_label=label, action="tier_set_by_hand", reason=reason
    )
