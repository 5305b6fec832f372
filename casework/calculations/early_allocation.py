"""Early allocation to the COM: the outcome of an assessment, and the referral window (pure: no ORM, no clock).

omic-requirements.md 2.5 and WF-05; manage-pom-cases-reference.md 1.2 ("Early allocation") and 3.4.

- Statutory questions (Terrorism Act offence, high profile, serious crime prevention order, MAPPA level 3, Critical
  Public Protection Case): any "yes" makes the case **automatically eligible**.
- When every statutory answer is "no", the discretionary questions (very high RoSH, MAPPA level 2 in exceptional
  cases, extremism screening, another reason, held in a separation centre *and* due for release within 24 months)
  give **discretionary** on any "yes", else **not eligible**. A separation centre without release within 24 months
  counts as "no" (the policy names both together).
- The **referral window**: the earliest of TED, PED, THD, ARD and CRD is no more than 18 months after today
  (inclusive: exactly 18 months is inside). A past date is inside. No date at all is outside (nothing to count
  back from). "Due for release within 24 months" uses the same earliest date, inclusive the same way.
Months are calendar months with month-end clamping (DECISIONS.md D-02, ``relativedelta``).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

__all__ = [
    "DISCRETIONARY",
    "ELIGIBLE",
    "INELIGIBLE",
    "REFERRAL_WINDOW",
    "RELEASE_WITHIN",
    "STATUTORY_QUESTIONS",
    "DISCRETIONARY_QUESTIONS",
    "ReleaseDates",
    "assessment_outcome",
    "due_for_release_within_24_months",
    "earliest_release_for_referral",
    "status_code",
    "within_referral_window",
    "window_opens_on",
]

ELIGIBLE, DISCRETIONARY, INELIGIBLE = "eligible", "discretionary", "ineligible"
REFERRAL_WINDOW = relativedelta(months=18)
RELEASE_WITHIN = relativedelta(months=24)

STATUTORY_QUESTIONS = (
    "convicted_under_terrorism_act_2000",
    "high_profile",
    "serious_crime_prevention_order",
    "mappa_level_3",
    "cppc_case",
)
# Asked only when every statutory answer is "no". "due_for_release_in_less_than_24months" goes with
# "extremism_separation": it is asked (or worked out from the dates) only when that is "yes".
DISCRETIONARY_QUESTIONS = (
    "high_risk_of_serious_harm",
    "mappa_level_2",
    "extremism_screening",
    "other_reason",
    "extremism_separation",
)


@dataclass(frozen=True)
class ReleaseDates:
    """The dates the referral window counts from (the sentence calculation's overrides already applied)."""

    tariff_expiry_date: dt.date | None = None
    parole_eligibility_date: dt.date | None = None
    target_hearing_date: dt.date | None = None
    automatic_release_date: dt.date | None = None
    conditional_release_date: dt.date | None = None

    def labelled(self) -> list[tuple[str, dt.date]]:
        pairs = [
            ("TED", self.tariff_expiry_date),
            ("PED", self.parole_eligibility_date),
            ("THD", self.target_hearing_date),
            ("ARD", self.automatic_release_date),
            ("CRD", self.conditional_release_date),
        ]
        return [(label, day) for label, day in pairs if day is not None]


def earliest_release_for_referral(dates: ReleaseDates) -> tuple[str, dt.date] | None:
    """(label, date) of the earliest of TED, PED, THD, ARD and CRD, in that order on a tie; None without any."""
    labelled = dates.labelled()
    if not labelled:
        return None
    return min(labelled, key=lambda pair: pair[1])


def within_referral_window(earliest: dt.date | None, *, today: dt.date) -> bool:
    """The earliest release date is no more than 18 months after today (inclusive); False without one."""
    return earliest is not None and earliest <= today + REFERRAL_WINDOW


def window_opens_on(earliest: dt.date) -> dt.date:
    """The first day on which ``within_referral_window(earliest, today=day)`` holds.

    Month-end clamping makes "earliest − 18 months" a day or so early at times (31 August − 18 months is 28
    February, and 28 February + 18 months is 28 August, before 31 August), so step forward to the first day that
    is really inside."""
    day = earliest - REFERRAL_WINDOW
    while not within_referral_window(earliest, today=day):
        day += dt.timedelta(days=1)
    return day


def due_for_release_within_24_months(earliest: dt.date | None, *, today: dt.date) -> bool | None:
    """The earliest release date is no more than 24 months after today (inclusive); None (ask) without one."""
    if earliest is None:
        return None
    return earliest <= today + RELEASE_WITHIN


def assessment_outcome(
    statutory: Mapping[str, bool],
    discretionary: Mapping[str, bool | None] | None = None,
    *,
    due_for_release_within_24_months: bool | None = None,
) -> str:
    """ "eligible", "discretionary" or "ineligible" from the answers (omic-requirements.md 2.5).

    Raises ValueError naming the first unanswered question that the outcome needs."""
    for name in STATUTORY_QUESTIONS:
        if statutory.get(name) is None:
            raise ValueError(name)
    if any(statutory[name] for name in STATUTORY_QUESTIONS):
        return ELIGIBLE
    discretionary = discretionary or {}
    for name in DISCRETIONARY_QUESTIONS:
        if discretionary.get(name) is None:
            raise ValueError(name)
    plain = any(discretionary[name] for name in DISCRETIONARY_QUESTIONS if name != "extremism_separation")
    if discretionary["extremism_separation"]:
        if due_for_release_within_24_months is None:
            raise ValueError("due_for_release_in_less_than_24months")
        plain = plain or due_for_release_within_24_months
    return DISCRETIONARY if plain else INELIGIBLE


# Status codes: stable values shared with the API (casework.early_allocation_selectors.early_allocation_status).
NOT_ASSESSED = "not_assessed"
OUTSIDE_WINDOW = "assessed_outside_window"
AWAITING_APPROVAL = "awaiting_approval"
REFERRAL_NOT_SENT = "referral_not_sent"
AWAITING_COMMUNITY_DECISION = "awaiting_community_decision"
COMMUNITY_ACCEPTED = "community_accepted"
COMMUNITY_REJECTED = "community_rejected"
STATUS_LABELS = {
    NOT_ASSESSED: "Not assessed",
    INELIGIBLE: "Not eligible",
    OUTSIDE_WINDOW: "Assessed before the 18-month referral window: assess again when it opens",
    ELIGIBLE: "Automatically eligible: early allocation applies",
    AWAITING_APPROVAL: "Discretionary: waiting for the head of offender management delivery to approve",
    REFERRAL_NOT_SENT: "Referral not sent: the probation delivery unit had no email address; send it once it has one",
    AWAITING_COMMUNITY_DECISION: "Discretionary: waiting for the community decision",
    COMMUNITY_ACCEPTED: "Discretionary: the community accepted early allocation",
    COMMUNITY_REJECTED: "Discretionary: the community refused early allocation",
}


def status_code(
    *,
    outcome: str | None,
    within_window: bool,
    approved: bool,
    referral_sent: bool,
    community_decision: bool | None,
) -> str:
    """Where an assessment stands. Only an assessment made inside the window can qualify (reference 3.4)."""
    if outcome is None:
        return NOT_ASSESSED
    if outcome == INELIGIBLE:
        return INELIGIBLE
    if not within_window:
        return OUTSIDE_WINDOW
    if outcome == ELIGIBLE:
        return ELIGIBLE
    if community_decision is not None:
        return COMMUNITY_ACCEPTED if community_decision else COMMUNITY_REJECTED
    if not approved:
        return AWAITING_APPROVAL
    return AWAITING_COMMUNITY_DECISION if referral_sent else REFERRAL_NOT_SENT
