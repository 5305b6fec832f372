"""Policy `current` (in force from 2025-05-15): the precedence list of manage-pom-cases-reference.md 3.6.

1. indeterminate with an additional future ISP -> POM only, `additional_isp`
2. THD12 and recalled and MAPPA unknown/0/1 -> POM with COM supporting, `recall_thd_over_12_months`
3. THD12 and not released at the last parole review and MAPPA 2/3 -> COM, `parole_mappa_2_3`
4. THD12 and not released at the last parole review -> POM with COM supporting, `thd_over_12_months`
5. recalled -> COM, `recall_case`;  6. immigration case -> COM, `immigration_case`
7. no earliest release date -> POM only, `release_date_unknown`
8. the general rules (`handover_date`), the open-estate start date and responsibility on the day.
THD12 = indeterminate, a THD of this sentence, and THD on or after as_of + 12 months (D-03).
Earliest release per D-05.
"""

from datetime import date

from handover.calculations import release as releases
from handover.calculations.dates import (
    is_short,
    months_8_days_14_before,
    months_12_before,
    months_15_before,
    thd_at_least_12_months_away,
)
from handover.calculations.gate import Case
from handover.calculations.steps import (
    COMMUNITY,
    CUSTODY_ONLY,
    CUSTODY_WITH_COM,
    fixed,
    general,
)

NAME = "current"
LABEL = "Current rules (May 2025)"
IN_FORCE_FROM = date(2025, 5, 15)
SUMMARY = (
    "Early allocation 15 months before the earliest release date, checked first; indeterminate 12 months; "
    "determinate sentences of 10 months or less go to the COM from the start; determinate parole (a PED) "
    "12 months; other determinate sentences 8 months and 14 days. Indeterminate earliest release: a future TED, "
    "else a future THD, else the nearer of the two. Parole and recall rules for indeterminate sentences with a "
    "hearing 12 months or more away."
)
LOW_OR_UNKNOWN_MAPPA = (None, 0, 1)


def handover_date(
    sentence_start: date,
    earliest_release: date,
    early_allocation: bool,
    indeterminate: bool,
    in_open_conditions: bool,
    determinate_parole: bool,
) -> tuple[date | None, str]:
    """The general rules (2023-11 and current): the COM-responsible date and its reason."""
    if early_allocation:
        return months_15_before(earliest_release), "early_allocation"
    if indeterminate:
        return months_12_before(earliest_release), "indeterminate_open" if in_open_conditions else "indeterminate"
    if is_short(sentence_start, earliest_release):
        return None, "determinate_short"
    if determinate_parole:
        return months_12_before(earliest_release), "determinate_parole"
    return months_8_days_14_before(earliest_release), "determinate"


def decide(case: Case):
    facts = case.facts
    release = releases.current(case)
    if case.indeterminate:
        if facts.additional_future_isp is True:
            return fixed(case, NAME, "additional_isp", CUSTODY_ONLY, release)
        if thd_at_least_12_months_away(case.target_hearing_date, case.as_of):
            mappa = facts.mappa_level
            if facts.recalled is True and mappa in LOW_OR_UNKNOWN_MAPPA:
                return fixed(case, NAME, "recall_thd_over_12_months", CUSTODY_WITH_COM, release)
            if facts.latest_parole_outcome == "not_release":
                if mappa == 2 or mappa == 3:
                    return fixed(case, NAME, "parole_mappa_2_3", COMMUNITY, release)
                return fixed(case, NAME, "thd_over_12_months", CUSTODY_WITH_COM, release)
    if facts.recalled is True:
        return fixed(case, NAME, "recall_case", COMMUNITY, release)
    if case.immigration:
        return fixed(case, NAME, "immigration_case", COMMUNITY, release)
    if release is None:
        return fixed(case, NAME, "release_date_unknown", CUSTODY_ONLY, release)
    return general(case, NAME, release, handover_date)
