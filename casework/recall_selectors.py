"""Reads about recalls: whether a case is recalled, the placement suggested for its recall and the decisions recorded.

"Recalled" is read as the handover engine reads it (``handover.facts``): the sentence's recall flag, or the legal
status "recall" (``case_is_recalled``; the page and the service both use it).

The recall starts on the return to custody, taken from the record, never from a form: the prisoner's arrival date in
this prison while recalled. Once a decision is recorded for the recall, that decision is the current one, and its
return date stays the recall's start even after a later transfer changes the arrival date: the current decision is
the latest one made while the case has been recalled without a break (the sentence and prisoner histories tell
when the case was last not recalled).
"""

import datetime as dt
from dataclasses import dataclass

from cases.models import Prisoner, Sentence
from casework.calculations.recall import PlacementSuggestion, recall_placement_suggest
from casework.models import RecallPlacementDecision

RECALL = Prisoner.LegalStatus.RECALL


def case_is_recalled(prisoner: Prisoner) -> bool:
    """The case is a recall: its sentence is flagged recalled, or its legal status is "recall" (as handover.facts)."""
    sentence = getattr(prisoner, "sentence", None)
    return bool(sentence is not None and sentence.recalled) or prisoner.legal_status == RECALL


@dataclass
class RecallPlacementView:
    recalled: bool
    recall_type: str  # the label, or "" when not recorded
    recall_started_on: dt.date | None  # the return to custody: the current decision's, else the arrival date
    sentence_expiry_date: dt.date | None
    suggestion: PlacementSuggestion | None
    decision: RecallPlacementDecision | None  # the current one, for this recall
    earlier: list  # decisions for earlier recalls, newest first


def last_not_recalled_at(prisoner: Prisoner) -> dt.datetime | None:
    """The last moment the case was not recalled (neither flag held), from the sentence and prisoner histories;
    None when it has been recalled since both records were created. Two queries."""
    events = [
        (when, "sentence", recalled and kind != "-")
        for when, recalled, kind in Sentence.history.filter(prisoner_id=prisoner.pk).values_list(
            "history_date", "recalled", "history_type"
        )
    ]
    events += [
        (when, "prisoner", status == RECALL and kind != "-")
        for when, status, kind in Prisoner.history.filter(prison_number=prisoner.pk).values_list(
            "history_date", "legal_status", "history_type"
        )
    ]
    state = {"sentence": False, "prisoner": False}
    last = None
    for when, which, value in sorted(events, key=lambda e: e[0]):
        state[which] = value
        if not any(state.values()):
            last = when
    return last


def current_recall_decision(prisoner: Prisoner, decisions: list) -> RecallPlacementDecision | None:
    """The latest decision made while the case has been recalled without a break (``decisions`` newest first)."""
    if not decisions or not case_is_recalled(prisoner):
        return None
    since = last_not_recalled_at(prisoner)
    latest = max(decisions, key=lambda d: (d.decided_at, d.pk))
    return latest if since is None or latest.decided_at > since else None


def recall_placement_for(*, prisoner: Prisoner) -> RecallPlacementView:
    """The case's recall, its suggested placement and the decisions recorded (one query for the decisions, two for
    the histories when there are decisions)."""
    sentence = getattr(prisoner, "sentence", None)
    recalled = case_is_recalled(prisoner)
    decisions = list(RecallPlacementDecision.objects.filter(prisoner=prisoner).select_related("decided_by"))
    current = current_recall_decision(prisoner, decisions)
    started = current.recall_started_on if current is not None else prisoner.prison_arrival_date
    expiry = sentence.effective("sentence_expiry_date") if sentence is not None else None
    suggestion = None
    if recalled:
        suggestion = recall_placement_suggest(
            recall_type=sentence.recall_type if sentence is not None else "",
            sentence_expiry_date=expiry,
            recall_started_on=started,
        )
    return RecallPlacementView(
        recalled=recalled,
        recall_type=sentence.get_recall_type_display() if recalled and sentence and sentence.recall_type else "",
        recall_started_on=started if recalled else None,
        sentence_expiry_date=expiry,
        suggestion=suggestion,
        decision=current,
        earlier=[d for d in decisions if d is not current],
    )
