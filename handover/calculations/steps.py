"""Steps every policy shares: responsibility on a day, the open-estate start date, roles, handover type, results."""

from datetime import date

from handover.calculations.gate import Case
from handover.calculations.types import HandoverResult

CUSTODY_ONLY = "CustodyOnly"
CUSTODY_WITH_COM = "CustodyWithCom"
COMMUNITY = "Community"

# responsibility -> (pom_role, com_role)
ROLES = {
    CUSTODY_ONLY: ("responsible", "not_involved"),
    CUSTODY_WITH_COM: ("responsible", "supporting"),
    COMMUNITY: ("supporting", "responsible"),
}

SHORT_SENTENCE_REASONS = frozenset({"determinate_short", "less_than_10_months_left_to_serve"})
OUTSIDE_OMIC_POLICY = "outside_omic_policy"


def responsibility_on(as_of: date, start: date | None, handover: date | None) -> str:
    """Who is responsible on `as_of` given the handover start and handover dates (reference 3.6, C vectors).

    No handover date: the COM. Before the start: the POM alone. From the start until the day before the handover:
    the POM with the COM supporting. From the handover day: the COM. An unknown start (legacy open-estate
    indeterminate with no arrival or category date, D-20) leaves the POM responsible with the COM supporting until
    the handover.
    """
    if handover is None or as_of >= handover:
        return COMMUNITY
    if start is not None and as_of < start:
        return CUSTODY_ONLY
    return CUSTODY_WITH_COM


def open_estate_start_date(
    handover: date | None,
    category_active_since: date | None,
    prison_arrival_date: date | None,
    indeterminate: bool,
    open_prison_rules_apply: bool,
    womens_estate: bool,
) -> date | None:
    """Handover start (2023-05 onwards, reference 3.6): the handover date, except for an indeterminate sentence
    where the open-prison rules apply: the earlier of the handover date and the day the case went open (women's
    estate: the open category's approval date; men's: the arrival date), ignoring an unknown date."""
    if not (indeterminate and open_prison_rules_apply) or handover is None:
        return handover
    opened = category_active_since if womens_estate else prison_arrival_date
    if opened is not None and opened < handover:
        return opened
    return handover


def handover_type(reason: str, enhanced_resourcing: bool | None) -> str:
    """D-07: `none` for short sentences, `enhanced` with enhanced resourcing or when it is unknown, else `standard`."""
    if reason in SHORT_SENTENCE_REASONS:
        return "none"
    return "standard" if enhanced_resourcing is False else "enhanced"


def outside(policy: str) -> HandoverResult:
    return HandoverResult(inside_omic_policy=False, reason=OUTSIDE_OMIC_POLICY, policy=policy)


def result(case: Case, policy: str, reason: str, responsibility: str, release, start, handover) -> HandoverResult:
    pom_role, com_role = ROLES[responsibility]
    return HandoverResult(
        True,
        reason,
        policy,
        None if release is None else release[0],
        None if release is None else release[1],
        start,
        handover,
        responsibility,
        pom_role,
        com_role,
        handover_type(reason, case.facts.enhanced_resourcing),
    )


def fixed(case: Case, policy: str, reason: str, responsibility: str, release) -> HandoverResult:
    """A rule that fixes responsibility directly: no handover dates (the release date is still reported)."""
    return result(case, policy, reason, responsibility, release, None, None)


def general(case: Case, policy: str, release, handover_date) -> HandoverResult:
    """The general rules, shared by 2023-05, 2023-11 and current: the version's own `handover_date` rule (its
    offsets and order), then the open-estate start date and responsibility on the day."""
    facts = case.facts
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
    return result(case, policy, reason, responsibility_on(case.as_of, start, handover), release, start, handover)
