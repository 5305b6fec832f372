"""The handover and responsibility engine: pure functions, no ORM, no settings, no clock.

Interface (stable; the persistence layer, the sweep and the CLI all use it):

    calculate(facts: HandoverFacts, as_of: date, policy: str | None = None) -> HandoverResult

`policy` is one of POLICY_VERSIONS; None means the version in force on `as_of` (DECISIONS.md D-01).
"""

from handover.calculations.types import HandoverFacts, HandoverResult

__all__ = ["HandoverFacts", "HandoverResult", "calculate"]


def calculate(facts, as_of, policy=None):  # pragma: no cover - replaced by the engine
    raise NotImplementedError
