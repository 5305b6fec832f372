"""Policy `2023-05` (in force 2023-05-23 to 2023-11-22): NPS/CRC removed, 8.5-month determinate handover.

Checks, in order (D-20): recalled -> COM; immigration case -> COM; no earliest release date -> POM only;
pre-OMiC case -> COM; then the general rules as released on 2023-05-23 (D-01): indeterminate 8 months (early
allocation ignored); determinate parole (a PED) 8 months, checked before the short-sentence rule; short determinate
(10 months or less) COM from the start; early allocation 15 months (determinate only, after both); other determinate
8 months and 14 days. HDC dates are not used. Indeterminate earliest release: TED if in the future, else the earliest
of THD and PED that is today or later.
"""

from datetime import date

from handover.calculations import release as releases
from handover.calculations.dates import is_short, months_8_before, months_8_days_14_before, months_15_before
from handover.calculations.gate import Case
from handover.calculations.policies.pre_omic import fixed_rules_2023
from handover.calculations.steps import general

NAME = "2023-05"
LABEL = "May 2023: one determinate handover of 8.5 months"
IN_FORCE_FROM = date(2023, 5, 23)
SUMMARY = (
    "The NPS/CRC distinction is removed. Standard determinate handover 8 months and 14 days before the earliest "
    "release date; sentences of 10 months or less go to the COM from the start; parole and indeterminate cases "
    "8 months; early allocation 15 months for determinate sentences only, after the parole and short rules."
)


def handover_date(
    sentence_start: date,
    earliest_release: date,
    early_allocation: bool,
    indeterminate: bool,
    in_open_conditions: bool,
    determinate_parole: bool,
) -> tuple[date | None, str]:
    if indeterminate:
        return months_8_before(earliest_release), "indeterminate_open" if in_open_conditions else "indeterminate"
    if determinate_parole:
        return months_8_before(earliest_release), "determinate_parole"
    if is_short(sentence_start, earliest_release):
        return None, "determinate_short"
    if early_allocation:
        return months_15_before(earliest_release), "early_allocation"
    return months_8_days_14_before(earliest_release), "determinate"


def decide(case: Case):
    release = releases.legacy(case, today_counts=False)
    return fixed_rules_2023(case, NAME, release) or general(case, NAME, release, handover_date)
