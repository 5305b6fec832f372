"""The pre-OMiC check used by the legacy policies 2019, 2022-10, 2023-05 and 2023-11 (DECISIONS.md D-20).

A case is pre-OMiC (COM responsible, `pre_omic_rules`) when it was sentenced strictly before the policy start and
its earliest release is strictly before the cutoff, or when it is in open conditions before the open-prison rules
applied to it. The dates are chosen women's estate first, then Welsh (probation service Wales), then English.
"""

from datetime import date

from handover.calculations.gate import Case
from handover.calculations.steps import COMMUNITY, CUSTODY_ONLY, fixed

WOMENS = (date(2021, 4, 30), date(2022, 9, 30))  # (policy start, cutoff)
WELSH = (date(2019, 2, 4), date(2020, 5, 4))
ENGLISH_PUBLIC = (date(2019, 10, 1), date(2021, 2, 15))
ENGLISH_PRIVATE = (date(2019, 10, 1), date(2021, 6, 1))


def policy_dates(case: Case) -> tuple[date, date]:
    if case.womens_estate:
        return WOMENS
    if case.facts.welsh_offender is True:
        return WELSH
    if case.facts.prison_operator == "private":
        return ENGLISH_PRIVATE
    return ENGLISH_PUBLIC


def is_pre_omic_case(case: Case, earliest_release: date) -> bool:
    policy_start, cutoff = policy_dates(case)
    start = case.facts.sentence_start_date
    if start is not None and start < policy_start and earliest_release < cutoff:
        return True
    return case.in_open_conditions and not case.open_prison_rules_apply


def fixed_rules_2023(case: Case, policy: str, release):
    """The checks 2023-05 and 2023-11 make before their general rules (D-20), in order: recalled -> COM;
    immigration case -> COM; no earliest release date -> POM only; pre-OMiC case -> COM. None: no check matched."""
    if case.facts.recalled is True:
        return fixed(case, policy, "recall_case", COMMUNITY, release)
    if case.immigration:
        return fixed(case, policy, "immigration_case", COMMUNITY, release)
    if release is None:
        return fixed(case, policy, "release_date_unknown", CUSTODY_ONLY, release)
    if is_pre_omic_case(case, release[1]):
        return fixed(case, policy, "pre_omic_rules", COMMUNITY, release)
    return None
