"""The plain-English "why" of a stored handover result, for the prisoner's handover panel.

The engine's ``handover.calculations.explain.explain(facts, result)`` says it; this module rebuilds the facts and the
result from the stored row (its ``inputs`` snapshot) so the panel needs no extra query, and falls back to the engine's
wording of the reason code alone when the snapshot cannot be read.
"""

import datetime as dt
import logging

from handover.calculations.explain import REASON_TEXT, RELEASE_TEXT, RESPONSIBILITY_TEXT, explain, facts_from_json
from handover.calculations.types import HandoverResult
from handover.models import CalculatedHandover

logger = logging.getLogger(__name__)


def result_from_row(row: CalculatedHandover) -> HandoverResult:
    return HandoverResult(
        inside_omic_policy=row.inside_omic_policy,
        reason=row.reason,
        policy=row.policy,
        earliest_release_type=row.earliest_release_type or None,
        earliest_release_date=row.earliest_release_date,
        handover_start_date=row.handover_start_date,
        handover_date=row.handover_date,
        responsibility=row.responsibility or None,
        handover_type=row.handover_type,
    )


def _engine_explanation(row: CalculatedHandover) -> dict:
    try:
        return explain(facts_from_json(row.inputs or {}), result_from_row(row))
    except Exception:  # a snapshot from an older engine must never break the prisoner page
        logger.exception("Could not explain the stored handover of %s", row.prisoner_id)
        return {}


def explanation(row: CalculatedHandover) -> dict:
    """``responsible_now``, ``why`` (the rule), ``release`` (the release date used), ``policy`` (the version and
    when it was in force) and ``changes`` (what would change the result)."""
    engine = _engine_explanation(row)
    release = "No earliest release date was used."
    if row.earliest_release_date:
        kind = RELEASE_TEXT.get(row.earliest_release_type, row.earliest_release_type or "release date")
        release = f"The handover is counted back from the {kind}, {_long(row.earliest_release_date)}."
    return {
        "responsible_now": engine.get("responsible_now") or RESPONSIBILITY_TEXT.get(row.responsibility, ""),
        "why": engine.get("rule") or REASON_TEXT.get(row.reason, row.reason.replace("_", " ").capitalize() + "."),
        "release": engine.get("release") or release,
        "policy": engine.get("policy_in_force") or f"Policy version {row.policy}.",
        "changes": list(engine.get("what_would_change") or []),
    }


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def next_step(*, panel, has_com: bool, today: dt.date) -> str:
    """The one thing to do next on the case's handover, in words; empty when there is nothing to do yet.

    The inspection found handover dates hidden and handovers happening late: the panel puts this first."""
    row = panel.calculated
    if row is None or not row.inside_omic_policy:
        return ""
    responsibility = panel.effective_responsibility
    handover = row.handover_date
    tasks_left = len(panel.tasks) - panel.tasks_done
    if responsibility == "Community" and not has_com:
        if handover is not None and (today - handover).days >= 2:
            return (
                f"COM allocation is overdue: the handover date passed {(today - handover).days} days ago. "
                "Ask the delivery unit to allocate a COM."
            )
        return "The COM is responsible but none is allocated: ask the delivery unit to allocate a COM."
    if responsibility == "CustodyOnly" and handover is not None and 0 <= (handover - today).days <= 56:
        if not has_com:
            return f"The handover is on {_long(handover)}: make sure the delivery unit allocates a COM before then."
    elif responsibility == "CustodyOnly":
        return ""
    if panel.tasks and tasks_left:
        return f"Finish the handover checklist: {panel.tasks_done} of {len(panel.tasks)} tasks done."
    return ""
