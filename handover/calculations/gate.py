"""The OMiC gate and the reading of inputs (DECISIONS.md D-19; manage-pom-cases-reference.md 3.3 and 3.4).

`read_case` derives, once per calculation, everything the policies share: whether the sentence is indeterminate,
the target hearing date that belongs to this sentence, the arrival date (the sentence start when missing), the
immigration test and the open-estate tests. Policies read the `Case`; they never re-derive.
"""

from datetime import date

from handover.calculations.types import HandoverFacts

CIVIL_IMPRISONMENT_STATUSES = frozenset(
    {"A/FINE", "A_FINE", "A_CFINE", "CIVIL", "CIVIL_CON", "CIVIL_DT", "CIV_RMD", "YOC_CONT", "YO_CFINE"}
)
IMMIGRATION_IMPRISONMENT_STATUS = "DET"
ADULT_AGE = 18
PRESCOED = "UPI"
PRESCOED_PILOT_START = date(2020, 10, 19)  # Welsh offenders arriving at HMP Prescoed from this day
OPEN_ESTATE_RULES_START = date(2021, 3, 31)  # the rest of the men's open estate from this day
WOMENS_OPEN_CATEGORY = "T"


def is_immigration_case(facts: HandoverFacts) -> bool:
    """D-19: `immigration_case` true or imprisonment status DET; either alone counts."""
    return facts.immigration_case is True or facts.imprisonment_status == IMMIGRATION_IMPRISONMENT_STATUS


def is_sentenced(facts: HandoverFacts) -> bool:
    """D-19: a sentence start date and either an indeterminate sentence or at least one release-type date."""
    if facts.sentence_start_date is None:
        return False
    return facts.sentence_type == "indeterminate" or (
        facts.conditional_release_date is not None
        or facts.automatic_release_date is not None
        or facts.parole_eligibility_date is not None
        or facts.hdc_eligibility_date is not None
        or facts.tariff_expiry_date is not None
    )


def inside_omic_policy(facts: HandoverFacts) -> bool:
    """D-19: not under 18 (unknown age does not exclude), not civil, and sentenced or an immigration case."""
    if facts.age is not None and facts.age < ADULT_AGE:
        return False
    if facts.imprisonment_status in CIVIL_IMPRISONMENT_STATUSES:
        return False
    return is_sentenced(facts) or is_immigration_case(facts)


class Case:
    """One case as every policy reads it: the facts, the calculation day, and the derived inputs (D-19)."""

    __slots__ = (
        "facts",
        "as_of",
        "indeterminate",
        "target_hearing_date",
        "prison_arrival_date",
        "immigration",
        "womens_estate",
        "in_open_conditions",
        "open_prison_rules_apply",
    )

    def __init__(self, facts: HandoverFacts, as_of: date):
        self.facts = facts
        self.as_of = as_of
        start = facts.sentence_start_date
        self.indeterminate = facts.sentence_type == "indeterminate"
        thd = facts.target_hearing_date
        # D-19: a target hearing date before the sentence start belongs to an earlier sentence.
        self.target_hearing_date = None if thd is not None and start is not None and thd < start else thd
        arrival = facts.prison_arrival_date
        # D-19: a missing arrival date is the sentence start; the contract's arrival date is the later of the two.
        self.prison_arrival_date = start if arrival is None or (start is not None and arrival < start) else arrival
        self.immigration = is_immigration_case(facts)
        estate = facts.prison_estate
        womens_open = estate == "womens" and facts.category_code == WOMENS_OPEN_CATEGORY
        self.womens_estate = estate == "womens"
        self.in_open_conditions = estate == "mens_open" or womens_open
        arrival = self.prison_arrival_date
        self.open_prison_rules_apply = (
            womens_open
            or (estate == "mens_open" and arrival is not None and arrival >= OPEN_ESTATE_RULES_START)
            or (
                facts.prison_code == PRESCOED
                and facts.welsh_offender is True
                and arrival is not None
                and arrival >= PRESCOED_PILOT_START
            )
        )
