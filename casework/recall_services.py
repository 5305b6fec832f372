"""Writes about recall placements: the HOMD records the placement of a recall, taking the suggestion or choosing
another with a reason (omic-requirements.md 2.12 RC-3). One decision per recall (the prisoner and the date of the
return to custody, read from the record: ``casework.recall_selectors``); deciding again updates it. The suggestion and
the return date are always worked out here, never taken from the form.
Every change is audited.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import Prisoner
from casework.models import RecallPlacement, RecallPlacementDecision
from casework.recall_selectors import case_is_recalled, recall_placement_for

MAX_REASON = RecallPlacementDecision._meta.get_field("override_reason").max_length


def _snapshot(decision: RecallPlacementDecision) -> dict:
    return {
        "recall_started_on": decision.recall_started_on,
        "suggested": decision.suggested,
        "chosen": decision.chosen,
        "override_reason": decision.override_reason,
    }


def recall_placement_decide(
    *, prisoner: Prisoner, chosen: str, override_reason: str = "", actor, today: dt.date
) -> RecallPlacementDecision:
    """Record the placement chosen for the case's current recall.

    The recall's start (the return to custody) comes from the record, never from the caller: the current decision's
    date when the recall already has one (a later transfer does not start a new recall), else the prisoner's arrival
    date in this prison. Deciding again updates the current decision."""
    override_reason = (override_reason or "").strip()
    errors = {}
    if chosen not in RecallPlacement.values:
        errors["chosen"] = "Choose where the recalled prisoner goes"
    if len(override_reason) > MAX_REASON:
        errors["override_reason"] = f"The reason must be {MAX_REASON} characters or fewer"
    with transaction.atomic():
        # Locked and read afresh: the arrival date and the recall flags are the record's as of now.
        prisoner = Prisoner.objects.select_for_update().get(pk=prisoner.pk)
        if not case_is_recalled(prisoner):
            raise ValidationError("This case is not recorded as a recall, so it has no recall placement")
        view = recall_placement_for(prisoner=prisoner)
        started = view.recall_started_on
        if started is None:
            errors.setdefault(
                "__all__",
                "The date of the return to custody (the arrival in this prison) is not recorded, so no placement "
                "can be decided",
            )
        elif started > today:
            errors.setdefault("__all__", "The recorded date of the return to custody is in the future")
        if errors:
            raise ValidationError(errors)
        suggestion = view.suggestion
        if suggestion is None or suggestion.placement is None:
            raise ValidationError({"chosen": suggestion.reason if suggestion else "No placement can be suggested"})
        if chosen != suggestion.placement and not override_reason:
            raise ValidationError(
                {"override_reason": "Give the reason for choosing a placement other than the one suggested"}
            )
        if chosen == suggestion.placement:
            override_reason = ""
        decision = view.decision
        if decision is None:  # a row for the same return date from before a break in the recall is reused
            decision = (
                RecallPlacementDecision.objects.select_for_update()
                .filter(prisoner=prisoner, recall_started_on=started)
                .first()
            )
        else:
            decision = RecallPlacementDecision.objects.select_for_update().get(pk=decision.pk)
        before = None if decision is None else _snapshot(decision)
        decision = decision or RecallPlacementDecision(prisoner=prisoner, recall_started_on=started)
        decision.suggested, decision.chosen, decision.override_reason = suggestion.placement, chosen, override_reason
        if before is not None and _snapshot(decision) == before and view.decision is not None:
            return decision
        decision.decided_by, decision.decided_at = actor, timezone.now()
        decision.save()
        audit_record(
            action="recall_placement_decided",
            obj=decision,
            before=before,
            after=_snapshot(decision),
            actor=actor,
            reason=override_reason,
            prisoner=prisoner,
        )
    return decision
