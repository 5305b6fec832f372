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
from handover.calculations.policies.pre_omic import fixed_rules_2023
from handover.calculations.steps import general

NAME = "2023-11"
LABEL = "November 2023: 12-month parole handover"
IN_FORCE_FROM = date(2023, 11, 23)
SUMMARY = (
    "Parole and indeterminate handover moves from 8 to 12 months before the earliest release date; early "
    "allocation (15 months) is checked first for every sentence. The pre-OMiC check still applies."
)


def decide(case: Case):
    release = releases.legacy(case, today_counts=False)
    return fixed_rules_2023(case, NAME, release) or general(case, NAME, release, handover_date)
