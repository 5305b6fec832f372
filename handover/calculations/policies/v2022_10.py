"""Policy `2022-10` (in force 2022-10-19 to 2023-05-22): one NPS determinate date, no MAPPA or HDC split.

After the shared NPS/CRC checks (`nps_crc`, unchanged from 2019), an NPS case: early allocation release - 15 months
(`nps_early_allocation`); indeterminate release - 8 months (`nps_indeterminate` / `nps_indeterminate_open`); a PED:
PED - 8 months (`nps_determinate_parole_case`); otherwise the earlier of CRD and ARD - 7.5 months, never before the
sentence start (`nps_determinate`). The start is the handover date, except for an indeterminate sentence where the
open-prison rules apply: the day the case went open. A start after the handover moves the handover to the start.
"""

from datetime import date

from handover.calculations.dates import months_7_days_15_before, months_8_before, months_15_before
from handover.calculations.gate import Case
from handover.calculations.policies import nps_crc

NAME = "2022-10"
LABEL = "October 2022: NPS determinate handover 7.5 months"
IN_FORCE_FROM = date(2022, 10, 19)
SUMMARY = (
    "Legacy NPS determinate cases: COM allocated and responsible 7.5 months before the earlier of CRD and ARD, "
    "never before the sentence start; no MAPPA or HDC variants. Parole and indeterminate 8 months, early allocation "
    "15 months. CRC 12 weeks, the 10-month rule and the pre-OMiC rules as in 2019."
)


def nps_rules(case: Case, release: tuple[str, date]) -> tuple[date | None, date, str]:
    facts = case.facts
    day = release[1]
    if facts.early_allocation is True:
        handover, reason = months_15_before(day), "nps_early_allocation"
    elif case.indeterminate:
        handover = months_8_before(day)
        reason = "nps_indeterminate_open" if case.in_open_conditions else "nps_indeterminate"
    elif facts.parole_eligibility_date is not None:
        handover, reason = months_8_before(facts.parole_eligibility_date), "nps_determinate_parole_case"
    else:
        handover = months_7_days_15_before(nps_crc.earlier_of_crd_and_ard(case))
        start_of_sentence = facts.sentence_start_date
        if handover < start_of_sentence:
            handover = start_of_sentence
        reason = "nps_determinate"
    if case.indeterminate and case.open_prison_rules_apply:
        return nps_crc.open_estate_indeterminate_start(case), handover, reason
    return handover, handover, reason


def decide(case: Case):
    return nps_crc.decide(case, NAME, nps_rules)
