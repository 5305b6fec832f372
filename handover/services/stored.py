"""How an engine result becomes a stored CalculatedHandover row, and when a stored row counts as changed.

Shared by the one-prisoner recalculation and the nightly sweep, so both save exactly the same thing. A row changes
when any compared value changes: the result (responsibility, dates, reason, type, policy, release date used) or the
inputs it was calculated from. The day it was calculated for and the timestamps are not compared: re-running on
the same data writes nothing.
"""

import datetime as dt

from handover.calculations.types import HandoverFacts, HandoverResult
from handover.facts import facts_to_json
from handover.models import CalculatedHandover, HandoverType

COMPARED = (
    "inside_omic_policy",
    "responsibility",
    "handover_start_date",
    "handover_date",
    "reason",
    "handover_type",
    "policy",
    "earliest_release_type",
    "earliest_release_date",
    "inputs",
)
HISTORY_FIELDS = (*COMPARED, "calculated_on")
AUDIT_ACTION = "handover_recalculated"
UPCOMING_WINDOW_DAYS = 56  # the "upcoming" list: handover date within 8 weeks (reference 3.7)


def result_values(facts: HandoverFacts, result: HandoverResult) -> dict:
    """The compared values of a stored row for this result (blank strings where the model stores no null)."""
    # Outside OMiC there is no handover; inside, an engine giving no type leaves it "not known yet".
    handover_type = result.handover_type or (HandoverType.MISSING if result.inside_omic_policy else HandoverType.NONE)
    return {
        "inside_omic_policy": result.inside_omic_policy,
        "responsibility": (result.responsibility or "") if result.inside_omic_policy else "",
        "handover_start_date": result.handover_start_date,
        "handover_date": result.handover_date,
        "reason": result.reason,
        "handover_type": handover_type,
        "policy": result.policy,
        "earliest_release_type": result.earliest_release_type or "",
        "earliest_release_date": result.earliest_release_date,
        "inputs": facts_to_json(facts),
    }


def stored_values(row: CalculatedHandover | None) -> dict | None:
    if row is None:
        return None
    return {name: getattr(row, name) for name in COMPARED}


def differs(before: dict | None, after: dict) -> bool:
    return before is None or any(before[name] != after[name] for name in COMPARED)


def jsonable(values: dict | None) -> dict | None:
    """Values for an audit event's before/after (dates as ISO strings); the inputs are left to the history row."""
    if values is None:
        return None
    return {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in values.items()
        if name != "inputs"
    }


def apply(row: CalculatedHandover, values: dict, *, today: dt.date, now: dt.datetime) -> CalculatedHandover:
    for name, value in values.items():
        setattr(row, name, value)
    row.calculated_on = today
    row.last_calculated_at = now
    row.last_changed_at = now
    return row


def history_for(row: CalculatedHandover, *, trigger: str, now: dt.datetime) -> dict:
    """The history row (as field values) recording this stored result."""
    return {
        "prisoner_id": row.prisoner_id,
        "changed_at": now,
        "trigger": trigger[:40],
        **{name: getattr(row, name) for name in HISTORY_FIELDS},
    }


def audit_for(row: CalculatedHandover, *, before: dict | None, actor_label: str, reason: str, now: dt.datetime) -> dict:
    """The audit event (as field values) exactly as ``cases.audit.audit_record`` writes it, for bulk inserts."""
    return {
        "created_at": now,
        "actor_id": None,
        "actor_label": actor_label,
        "action": AUDIT_ACTION,
        "prisoner_id": row.prisoner_id,
        "prison_number": row.prisoner_id,
        "object_type": CalculatedHandover._meta.label,
        "object_id": str(row.prisoner_id),
        "before": jsonable(before),
        "after": jsonable(stored_values(row)),
        "reason": reason,
    }


def in_handover_window(values: dict | None, today: dt.date) -> bool:
    """On one of the handover lists: the COM is involved, or the handover date is at most 8 weeks away."""
    if not values or not values["inside_omic_policy"] or values["handover_date"] is None:
        return False
    if values["responsibility"] in (
        CalculatedHandover.Responsibility.CUSTODY_WITH_COM,
        CalculatedHandover.Responsibility.COMMUNITY,
    ):
        return True
    return (values["handover_date"] - today).days <= UPCOMING_WINDOW_DAYS


def leaves_handover_window(before: dict | None, after: dict, today: dt.date) -> bool:
    """Reference 3.8 item 14: the checklist is reset when the case goes back to POM-only or off every list."""
    if before is None or not in_handover_window(before, today):
        return False
    custody_only = CalculatedHandover.Responsibility.CUSTODY_ONLY
    back_to_custody = before["responsibility"] != custody_only and after["responsibility"] == custody_only
    return back_to_custody or not in_handover_window(after, today)
