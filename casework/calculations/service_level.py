"""The service level of a case (DECISIONS.md D-11; omic-requirements.md 2.6 SL-2).

Full case management (full OASys, sentence planning, one-to-one supervision, handover meeting) applies to every
sentenced case except:
- sentences under 10 months: the earliest release date is on or before the sentence start + 10 months (exactly 10
  months counts as under, as in D-04);
- men in the closed estate with up to 48 months to serve at sentence (earliest release on or before the sentence
  start + 48 months, exactly 48 months included) who are low RoSH. Care-experienced people and fixed-term recalls are
  not excluded by this rule (D-11).
Months are calendar months with month-end clamping (D-02): 30 April + 10 months is 28 or 29 February.
Remand and civil prisoners are outside (D-13): a dedicated POM, tasks as required.
A determinate case whose earliest release is not known yet gets full case management until it is.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from casework.calculations.case_facts import CaseFacts

SHORT_MONTHS = 10
LOW_ROSH_MONTHS = 48
FIXED_TERM_RECALLS = frozenset({"fixed_term_14", "fixed_term_28"})

REASONS = {
    "not_sentenced": "Not serving a sentence (remand, civil or immigration): tasks as required (D-13)",
    "under_10_months": "Serving 10 months or less: the COM leads, no full case management (D-11)",
    "closed_estate_low_rosh": (
        "A man in the closed estate, low RoSH, with up to 48 months to serve at sentence: no full case management "
        "(D-11)"
    ),
    "indeterminate": "Indeterminate sentence: full case management (D-11)",
    "release_not_known": "Earliest release date not known yet: full case management until it is (D-11)",
    "care_experienced": "Care-experienced: full case management whatever the time to serve (D-11)",
    "fixed_term_recall": "Fixed-term recall: full case management and the recall tasks (D-11)",
    "not_mens_closed": "Not a man in the closed estate: full case management (D-11)",
    "not_low_rosh": "RoSH is not low (or not known): full case management (D-11)",
    "over_48_months": "More than 48 months to serve at sentence: full case management (D-11)",
}


@dataclass(frozen=True)
class ServiceLevel:
    full: bool
    code: str

    @property
    def reason(self) -> str:
        return REASONS[self.code]

    @property
    def label(self) -> str:
        return "Full case management" if self.full else "No full case management"


def is_under_10_months(sentence_start: dt.date, earliest_release: dt.date) -> bool:
    """D-04: on or before the sentence start + 10 calendar months (clamped, D-02) is short."""
    return earliest_release <= sentence_start + relativedelta(months=SHORT_MONTHS)


def is_up_to_48_months(sentence_start: dt.date, earliest_release: dt.date) -> bool:
    return earliest_release <= sentence_start + relativedelta(months=LOW_ROSH_MONTHS)


def service_level(facts: CaseFacts, *, today: dt.date | None = None) -> ServiceLevel:
    """The case's service level. ``today`` is accepted for a uniform signature; the rule uses dates at sentence."""
    if not facts.is_sentenced:
        return ServiceLevel(False, "not_sentenced")
    if facts.is_indeterminate:
        return ServiceLevel(True, "indeterminate")
    if facts.earliest_release is None:
        return ServiceLevel(True, "release_not_known")
    if is_under_10_months(facts.sentence_start, facts.earliest_release):
        return ServiceLevel(False, "under_10_months")
    if facts.care_experienced:
        return ServiceLevel(True, "care_experienced")
    if facts.is_recall and facts.recall_type in FIXED_TERM_RECALLS:
        return ServiceLevel(True, "fixed_term_recall")
    if facts.sex != "male" or facts.estate != "mens_closed":
        return ServiceLevel(True, "not_mens_closed")
    if facts.rosh_level != "low":
        return ServiceLevel(True, "not_low_rosh")
    if not is_up_to_48_months(facts.sentence_start, facts.earliest_release):
        return ServiceLevel(True, "over_48_months")
    return ServiceLevel(False, "closed_estate_low_rosh")
