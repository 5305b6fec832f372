"""Policy `2019` (original OMiC, in force until 2022-10-18): the legacy NPS/CRC split (DECISIONS.md D-20).

After the shared NPS/CRC checks (`nps_crc`), an NPS case gets two dates:
- COM responsible (handover): early allocation release - 15 months (`nps_early_allocation`); indeterminate
  release - 8 months (`nps_indeterminate`, `nps_indeterminate_open` in open conditions); a PED: PED - 8 months
  (`nps_determinate_parole_case`); MAPPA unknown (`nps_mappa_unknown`) or 0/1 (`nps_determinate_mappa_1_n`): the HDC
  actual date, else the earlier of (earlier of CRD and ARD) - 4.5 months and the HDCED; MAPPA 2/3
  (`nps_determinate_mappa_2_3`): the later of today and (earlier of CRD and ARD) - 7.5 months.
- COM allocated (start): an indeterminate where the open-prison rules apply: the day the case went open (unknown
  stays unknown: POM responsible with the COM supporting); early allocation release - 15 months; a closed-estate
  indeterminate release - 8 months; a PED: PED - 8 months; else (earlier of CRD and ARD) - 7.5 months.
A start after the handover moves the handover to the start.
"""

from datetime import date

from handover.calculations.dates import (
    months_4_days_15_before,
    months_7_days_15_before,
    months_8_before,
    months_15_before,
)
from handover.calculations.gate import Case
from handover.calculations.policies import nps_crc

NAME = "2019"
LABEL = "2019: original OMiC (NPS and CRC)"
IN_FORCE_FROM = date(2019, 2, 4)  # the earliest OMiC policy start (Wales); also applied to any earlier day
SUMMARY = (
    "Legacy NPS cases: COM allocated 7.5 months and responsible 4.5 months before the CRD/ARD (MAPPA 1 or unknown, "
    "or the HDC date), 7.5 months for MAPPA 2/3, 8 months for parole and indeterminate cases, 15 months for early "
    "allocation. Legacy CRC cases: COM responsible 12 weeks before release. Sentences of 10 months or less: COM "
    "from the start. Cases sentenced before OMiC and released before the cutoff stay with the COM."
)


def nps_rules(case: Case, release: tuple[str, date]) -> tuple[date | None, date, str]:
    facts = case.facts
    day = release[1]
    early_allocation = facts.early_allocation is True
    ped = facts.parole_eligibility_date
    if early_allocation:
        handover, reason = months_15_before(day), "nps_early_allocation"
    elif case.indeterminate:
        handover = months_8_before(day)
        reason = "nps_indeterminate_open" if case.in_open_conditions else "nps_indeterminate"
    elif ped is not None:
        handover, reason = months_8_before(ped), "nps_determinate_parole_case"
    else:
        earliest = nps_crc.earlier_of_crd_and_ard(case)
        mappa = facts.mappa_level
        if mappa == 2 or mappa == 3:
            allocated = months_7_days_15_before(earliest)
            handover = case.as_of if case.as_of > allocated else allocated
            reason = "nps_determinate_mappa_2_3"
        else:
            handover = facts.hdc_actual_date
            if handover is None:
                handover = months_4_days_15_before(earliest)
                hdced = facts.hdc_eligibility_date
                if hdced is not None and hdced < handover:
                    handover = hdced
            reason = "nps_mappa_unknown" if mappa is None else "nps_determinate_mappa_1_n"

    if case.indeterminate and case.open_prison_rules_apply:
        start = nps_crc.open_estate_indeterminate_start(case)
    elif early_allocation:
        start = months_15_before(day)
    elif case.indeterminate:
        start = months_8_before(day)
    elif ped is not None:
        start = months_8_before(ped)
    else:
        start = months_7_days_15_before(nps_crc.earlier_of_crd_and_ard(case))
    return start, handover, reason


def decide(case: Case):
    return nps_crc.decide(case, NAME, nps_rules)
