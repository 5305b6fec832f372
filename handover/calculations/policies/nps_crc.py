"""The order of checks shared by the NPS/CRC policies 2019 and 2022-10 (reference 3.11, DECISIONS.md D-20).

recalled -> COM (`recall_case`); immigration case -> COM (`immigration_case`); no release date -> POM only
(`release_date_unknown`); CRC -> start = handover = release - 12 weeks (`crc_case`); release on or before sentence
start + 10 months -> COM from the start (`less_than_10_months_left_to_serve`); pre-OMiC case -> COM
(`pre_omic_rules`); otherwise the policy's own NPS rules.

A case is CRC when its probation provider is not NPS (no provider takes the CRC path), unless it is indeterminate:
indeterminate sentences are always NPS. The CRC release date is the HDC actual date, else the earliest of ARD, CRD
and HDCED; the NPS one is the PED, else the earlier of ARD and CRD (indeterminate: a future TED, else the earliest
of THD and PED that is today or later).
"""

from collections.abc import Callable
from datetime import date

from handover.calculations import release as releases
from handover.calculations.dates import WEEKS_12, is_short
from handover.calculations.gate import Case
from handover.calculations.policies.pre_omic import is_pre_omic_case
from handover.calculations.steps import COMMUNITY, CUSTODY_ONLY, fixed, responsibility_on, result

# (case, release) -> (start, handover, reason)
NpsRules = Callable[[Case, tuple[str, date]], tuple[date | None, date, str]]


def is_crc_case(case: Case) -> bool:
    return not case.indeterminate and case.facts.probation_provider != "NPS"


def earlier_of_crd_and_ard(case: Case) -> date:
    facts = case.facts
    crd, ard = facts.conditional_release_date, facts.automatic_release_date
    if crd is None:
        return ard
    return crd if ard is None or crd < ard else ard


def decide(case: Case, name: str, nps_rules: NpsRules):
    facts = case.facts
    crc = is_crc_case(case)
    release = releases.legacy_crc(case) if crc else releases.legacy(case)
    if facts.recalled is True:
        return fixed(case, name, "recall_case", COMMUNITY, release)
    if case.immigration:
        return fixed(case, name, "immigration_case", COMMUNITY, release)
    if release is None:
        return fixed(case, name, "release_date_unknown", CUSTODY_ONLY, release)
    if crc:
        day = release[1] - WEEKS_12
        return result(case, name, "crc_case", responsibility_on(case.as_of, day, day), release, day, day)
    if is_short(facts.sentence_start_date, release[1]):
        return fixed(case, name, "less_than_10_months_left_to_serve", COMMUNITY, release)
    if is_pre_omic_case(case, release[1]):
        return fixed(case, name, "pre_omic_rules", COMMUNITY, release)
    start, handover, reason = nps_rules(case, release)
    if start is not None and start > handover:
        handover = start  # "responsibility handover should not take place before start of handover" (MO-49)
    return result(case, name, reason, responsibility_on(case.as_of, start, handover), release, start, handover)


def open_estate_indeterminate_start(case: Case) -> date | None:
    """Legacy open-estate indeterminate start: the open category's approval date (women) or the arrival (men)."""
    return case.facts.category_active_since if case.womens_estate else case.prison_arrival_date
