"""The earliest release date the handover is counted back from: one rule per family of policies.

Each function returns `(type, date)` or None. Ties are settled in the order the rule lists its dates.
"""

from datetime import date

from handover.calculations.gate import Case

Release = tuple[str, date]


def _earlier_of_ard_and_crd(ard: date | None, crd: date | None) -> Release | None:
    """The earlier of ARD and CRD; ARD on a tie."""
    if ard is not None and (crd is None or ard <= crd):
        return ("ARD", ard)
    if crd is not None:
        return ("CRD", crd)
    return None


def determinate(case: Case) -> Release | None:
    """D-05 (and every policy's NPS/determinate rule): PED where there is one (even past), else ARD/CRD."""
    facts = case.facts
    if facts.parole_eligibility_date is not None:
        return ("PED", facts.parole_eligibility_date)
    return _earlier_of_ard_and_crd(facts.automatic_release_date, facts.conditional_release_date)


def indeterminate_current(ted: date | None, thd: date | None, as_of: date) -> Release | None:
    """D-05 (current): a future TED, else a future THD, else whichever is nearest the calculation day (TED on a tie).

    PED is not used for indeterminate sentences.
    """
    if ted is not None and ted > as_of:
        return ("TED", ted)
    if thd is not None and thd > as_of:
        return ("THD", thd)
    if ted is None:
        return None if thd is None else ("THD", thd)
    if thd is None or (as_of - ted) <= (as_of - thd):
        return ("TED", ted)
    return ("THD", thd)


def indeterminate_legacy(
    ted: date | None, thd: date | None, ped: date | None, as_of: date, *, today_counts: bool = True
) -> Release | None:
    """2019 to 2023-11 (D-20, reference 3.11): TED if in the future, else the earliest of THD and PED still to come
    (THD on a tie); a TED in the past with no such date gives no release date. 2019 and 2022-10 count a date on the
    day itself ("today or later", D-20); 2023-05 and 2023-11 take only dates strictly in the future ("earliest future
    of PRD and PED", reference 3.11, as the reference code ran: `d.date > today`)."""
    if ted is not None and ted > as_of:
        return ("TED", ted)

    def still_to_come(day: date | None) -> bool:
        return day is not None and (day >= as_of if today_counts else day > as_of)

    best = None
    if still_to_come(thd):
        best = ("THD", thd)
    if still_to_come(ped) and (best is None or ped < best[1]):
        best = ("PED", ped)
    return best


def current(case: Case) -> Release | None:
    if case.indeterminate:
        return indeterminate_current(case.facts.tariff_expiry_date, case.target_hearing_date, case.as_of)
    return determinate(case)


def legacy(case: Case, *, today_counts: bool = True) -> Release | None:
    """The NPS (2019, 2022-10) and the 2023-05/2023-11 (`today_counts=False`) earliest release date."""
    if case.indeterminate:
        facts = case.facts
        return indeterminate_legacy(
            facts.tariff_expiry_date,
            case.target_hearing_date,
            facts.parole_eligibility_date,
            case.as_of,
            today_counts=today_counts,
        )
    return determinate(case)


def legacy_crc(case: Case) -> Release | None:
    """2019 and 2022-10 CRC: the HDC actual date, else the earliest of ARD, CRD and HDCED (in that order on a tie)."""
    facts = case.facts
    if facts.hdc_actual_date is not None:
        return ("HDCAD", facts.hdc_actual_date)
    best = _earlier_of_ard_and_crd(facts.automatic_release_date, facts.conditional_release_date)
    hdced = facts.hdc_eligibility_date
    if hdced is not None and (best is None or hdced < best[1]):
        return ("HDCED", hdced)
    return best
