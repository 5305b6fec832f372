"""Pure recall calculations: the placement suggested for a recalled prisoner (omic-requirements.md 2.12 RC-1, RC-2).

- A fixed-term recall (14 or 28 days) stays at a reception prison.
- A standard recall moves to a resettlement prison when under 24 months are left from the return to custody to the
  sentence expiry date, or to a training prison otherwise. The policy leaves exactly 24 months open: here it goes to
  training (the SED on or after the return + 24 calendar months, clamped to the month's end, D-02).
The HOMD may choose another placement with a reason (RC-3); that is the service's business, not this module's.
No ORM, no clock: the return-to-custody date is passed in.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

RECEPTION, RESETTLEMENT, TRAINING = "reception", "resettlement", "training"
FIXED_TERM = ("fixed_term_14", "fixed_term_28")
STANDARD = "standard"
TRAINING_FROM = relativedelta(months=24)


@dataclass(frozen=True)
class PlacementSuggestion:
    placement: str | None  # None: no suggestion can be made (the reason says what is missing)
    reason: str


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def recall_placement_suggest(
    *, recall_type: str, sentence_expiry_date: dt.date | None, recall_started_on: dt.date | None
) -> PlacementSuggestion:
    """The suggested placement for a recall, with the rule that gave it in plain words."""
    if recall_type in FIXED_TERM:
        return PlacementSuggestion(RECEPTION, "A fixed-term recall stays at a reception prison.")
    if recall_type != STANDARD:
        return PlacementSuggestion(None, "The recall type is not recorded, so no placement can be suggested.")
    if recall_started_on is None:
        return PlacementSuggestion(
            None, "The date of return to custody is not known, so no placement can be suggested."
        )
    if sentence_expiry_date is None:
        return PlacementSuggestion(
            None, "No sentence expiry date is recorded, so no placement can be suggested for this standard recall."
        )
    boundary = recall_started_on + TRAINING_FROM
    if sentence_expiry_date < boundary:
        return PlacementSuggestion(
            RESETTLEMENT,
            f"A standard recall with under 24 months from the return to custody ({_long(recall_started_on)}) to the "
            f"sentence expiry date ({_long(sentence_expiry_date)}) moves to a resettlement prison.",
        )
    return PlacementSuggestion(
        TRAINING,
        f"A standard recall with 24 months or more from the return to custody ({_long(recall_started_on)}) to the "
        f"sentence expiry date ({_long(sentence_expiry_date)}) moves to a training prison (exactly 24 months counts "
        "as training).",
    )
