"""What a calculation makes of a case's stored inputs, and how that is written to the records: shared by the one-case
services and the bulk recalculation, so both decide "changed or not" and keep the case information in step alike."""

import datetime as dt
from dataclasses import dataclass

from tiering.calculations import V2Result, calculate, parse_input
from tiering.models import TierRecord

TIER_LETTERS = frozenset("ABCDEFG")
RECORD_AUDIT_FIELDS = ("tier", "score", "model", "provisional", "source")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One calculation's result, in the shape a TierRecord stores it."""

    tier: str
    score: str
    model: str
    provisional: bool
    breakdown: list
    inputs: dict


def outcome_for(*, model: str, inputs: dict, today: dt.date) -> Outcome:
    """Calculate a case's tier from its stored inputs. V3 is calculated for ``today`` (a date in the stored inputs
    is ignored), so a stored tier stays the same from day to day unless a date rule moves it.

    Raises tiering.calculations.InputError naming the field when the stored inputs do not fit the model.
    """
    raw = dict(inputs)
    if model == "v3":
        raw["calculation_date"] = today.isoformat()
    result = calculate(model, parse_input(model, raw))
    breakdown = [[factor, points] for factor, points in result.breakdown]
    if isinstance(result, V2Result):
        return Outcome(result.protect, result.tier_score, model, False, breakdown, inputs)
    tier = result.tier if result.tier in TIER_LETTERS else ""
    return Outcome(tier, result.tier, model, result.provisional, breakdown, inputs)


def outcome_is_current(outcome: Outcome, current: TierRecord | None) -> bool:
    """True when the current record already says what the outcome says (then nothing is written)."""
    return (
        current is not None
        and current.source == TierRecord.Source.CALCULATED
        and current.tier == outcome.tier
        and current.score == outcome.score
        and current.model == outcome.model
        and current.provisional == outcome.provisional
        and current.breakdown == outcome.breakdown
        and current.inputs == outcome.inputs
    )


def hand_entry_stands(current: TierRecord | None, inputs_updated_at: dt.datetime) -> bool:
    """A tier entered by hand after the inputs last changed is a person's deliberate choice: recalculating the same
    inputs does not overwrite it. New inputs do (D-10: calculated when the inputs are known)."""
    return (
        current is not None and current.source == TierRecord.Source.MANUAL and current.recorded_at >= inputs_updated_at
    )


def record_values(record: TierRecord | None) -> dict | None:
    if record is None:
        return None
    return {name: getattr(record, name) for name in RECORD_AUDIT_FIELDS}


def case_tier(tier: str, source: str, day: dt.date) -> tuple[str, str, dt.date | None]:
    """CaseInformation's (tier, tier source, tier date) for a current record: all set, or all blank when the record
    has no letter (the table's constraint: a tier never without its source and date)."""
    return (tier, source, day) if tier else ("", "", None)


__all__ = [
    "Outcome",
    "case_tier",
    "hand_entry_stands",
    "outcome_for",
    "outcome_is_current",
    "record_values",
]
