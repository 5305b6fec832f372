"""The handover and responsibility engine: pure functions, no ORM, no settings, no clock.

Interface (stable; the persistence layer, the sweep and the CLI all use it):

    calculate(facts: HandoverFacts, as_of: date, policy: str | None = None) -> HandoverResult

`policy` is one of POLICY_VERSIONS; None means the version in force on `as_of` (DECISIONS.md D-01).

Layout: `gate` (D-19: the OMiC gate and the reading of inputs), `dates` (D-02..D-04), `release` (the earliest
release date per policy family), `steps` (responsibility, start date, roles, handover type), `policies/` (one module
per version and the registry), `explain` (plain-English "why this date", input snapshots).
"""

from handover.calculations.gate import Case, inside_omic_policy
from handover.calculations.policies import POLICY_NAMES, POLICY_VERSIONS, decider, policy_in_force
from handover.calculations.steps import outside
from handover.calculations.types import HandoverFacts, HandoverResult

__all__ = [
    "POLICY_NAMES",
    "POLICY_VERSIONS",
    "HandoverFacts",
    "HandoverResult",
    "UnknownPolicy",
    "calculate",
    "policy_in_force",
]


class UnknownPolicy(ValueError):
    pass


def calculate(facts: HandoverFacts, as_of, policy: str | None = None) -> HandoverResult:
    """The handover dates, responsibility and reason for one case on `as_of` under `policy` (or the one in force)."""
    if policy is None:
        policy = policy_in_force(as_of)
    try:
        decide = decider(policy)
    except KeyError:
        raise UnknownPolicy(f"unknown policy {policy!r}; expected one of {', '.join(POLICY_NAMES)}") from None
    if not inside_omic_policy(facts):
        return outside(policy)
    return decide(Case(facts, as_of))
