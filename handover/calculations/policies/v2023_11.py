"""Policy `2023-11` (in force 2023-11-23 to 2025-05-14): 12-month parole and indeterminate handover.

Checks, in order (D-20): recalled -> COM; immigration case -> COM; no earliest release date -> POM only;
pre-OMiC case -> COM; then the general rules, which are the current ones: early allocation 15 months checked first
for every sentence, indeterminate 12 months, short determinate (10 months or less) COM from the start, determinate
parole 12 months, other determinate 8 months and 14 days. Indeterminate earliest release: TED if in the future, else
the earliest of THD and PED that is today or later.
"""

from datetime import date

from handover.calculations import release as releases
from handover.calculations.gate import Case
from handover.calculations.policies.current import handover_date
from handover.calculations.policies.pre_omic import is_pre_omic_case
from handover.calculations.steps import (
    COMMUNITY,
    CUSTODY_ONLY,
    fixed,
    open_estate_start_date,
    responsibility_on,
    result,
)

NAME = "2023-11"
LABEL = "November 2023: 12-month parole handover"
IN_FORCE_FROM = date(2023, 11, 23)
SUMMARY = (
    "Parole and indeterminate handover moves from 8 to 12 months before the earliest release date; early "
    "allocation (15 months) is checked first for every sentence. The pre-OMiC check still applies."
)


def decide(case: Case):
    facts = case.facts
    release = releases.legacy(case, today_counts=False)
    if facts.recalled is True:
        return fixed(case, NAME, "recall_case", COMMUNITY, release)
    if case.immigration:
        return fixed(case, NAME, "immigration_case", COMMUNITY, release)
    if release is None:
        return fixed(case, NAME, "release_date_unknown", CUSTODY_ONLY, release)
    if is_pre_omic_case(case, release[1]):
        return fixed(case, NAME, "pre_omic_rules", COMMUNITY, release)
    handover, reason = handover_date(
        facts.sentence_start_date,
        release[1],
        facts.early_allocation is True,
        case.indeterminate,
        case.in_open_conditions,
        facts.parole_eligibility_date is not None,
    )
    start = open_estate_start_date(
        handover,
        facts.category_active_since,
        case.prison_arrival_date,
        case.indeterminate,
        case.open_prison_rules_apply,
        case.womens_estate,
    )
    return result(case, NAME, reason, responsibility_on(case.as_of, start, handover), release, start, handover)
