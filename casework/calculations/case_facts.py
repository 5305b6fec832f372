"""The facts of one case that the task engine and the service level read (plain values; no ORM, no clock).

``casework.task_facts`` builds them from the records, one case or many in a few queries.
"""

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

# Imprisonment status codes of indeterminate sentences that are not life sentences (IPP and DPP): they get no LISP1.
IPP_STATUSES = frozenset({"IPP", "DPP", "LR_IPP", "LR_DPP", "P_IPP"})
NOT_SENTENCED = frozenset({"remand", "convicted_unsentenced", "civil", "immigration_detainee"})


@dataclass(frozen=True)
class ParoleReviewFact:
    review_pk: int
    target_hearing_date: dt.date | None
    outcome_received_on: dt.date | None


@dataclass(frozen=True)
class EarlyAllocationFact:
    """An early allocation assessment of this sentence: when it was made (``requested_on``: the referral date where
    one was sent), whether it asked the community for a decision (discretionary, in the 18-month window) and when
    the community decided."""

    assessment_pk: int
    requested_on: dt.date
    decision_date: dt.date | None
    asks_community: bool = True
    in_referral_window: bool = True


@dataclass(frozen=True)
class CaseFacts:
    prison_number: str
    legal_status: str = "sentenced"
    sex: str = "male"
    estate: str = "mens_closed"
    care_experienced: bool = False
    date_of_birth: dt.date | None = None
    sentence_type: str | None = None  # "determinate", "indeterminate", or None without a sentence
    sentence_start: dt.date | None = None
    imprisonment_status: str = ""
    recalled: bool = False
    recall_type: str = ""  # fixed_term_14, fixed_term_28, standard, or "" (not known)
    returned_to_custody_on: dt.date | None = None
    earliest_release: dt.date | None = None
    rosh_level: str = ""
    handover_type: str = ""
    com_allocation_due: dt.date | None = None  # the handover start date: when the COM is to be allocated
    com_allocated_on: dt.date | None = None
    youth_transfer_on: dt.date | None = None
    parole_reviews: tuple[ParoleReviewFact, ...] = field(default_factory=tuple)
    early_allocations: tuple[EarlyAllocationFact, ...] = field(default_factory=tuple)

    @property
    def is_sentenced(self) -> bool:
        return (
            self.sentence_type is not None
            and self.sentence_start is not None
            and self.legal_status not in NOT_SENTENCED
        )

    @property
    def is_indeterminate(self) -> bool:
        return self.sentence_type == "indeterminate"

    @property
    def is_recall(self) -> bool:
        return self.recalled or self.legal_status == "recall"

    @property
    def is_life_sentence(self) -> bool:
        return self.is_indeterminate and self.imprisonment_status.upper() not in IPP_STATUSES

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        return relativedelta(day, self.date_of_birth).years


def earliest_release_fallback(
    *,
    indeterminate: bool,
    ped: dt.date | None,
    ard: dt.date | None,
    crd: dt.date | None,
    ted: dt.date | None,
) -> dt.date | None:
    """The earliest release date when the handover engine has stored none (D-05, without the parole review's THD):
    determinate, the PED where there is one, else the earlier of ARD and CRD; indeterminate, the TED."""
    if indeterminate:
        return ted
    if ped is not None:
        return ped
    dates = [day for day in (ard, crd) if day is not None]
    return min(dates) if dates else None
