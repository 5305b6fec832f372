"""The registry of handover policy versions (DECISIONS.md D-01). Versions are never edited in place.

Adding a version is adding one module (NAME, LABEL, IN_FORCE_FROM, SUMMARY and `decide(case)`) and one line in
`_MODULES`; the registry works out each version's last day from the next one's first.

In force (every boundary day checked in tests/handover/test_calc_boundaries.py):
  2019     until 2022-10-18 (and for any earlier day)
  2022-10  2022-10-19 .. 2023-05-22
  2023-05  2023-05-23 .. 2023-11-22
  2023-11  2023-11-23 .. 2025-05-14
  current  from 2025-05-15
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from handover.calculations.policies import current, v2019, v2022_10, v2023_05, v2023_11

_MODULES = (v2019, v2022_10, v2023_05, v2023_11, current)  # in order of coming into force


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    name: str
    label: str
    in_force_from: date
    in_force_to: date | None  # the last day in force; None: still in force
    summary: str
    decide: object  # (Case) -> HandoverResult

    def in_force_on(self, day: date) -> bool:
        return day >= self.in_force_from and (self.in_force_to is None or day <= self.in_force_to)


def _versions() -> dict[str, PolicyVersion]:
    out = {}
    for i, module in enumerate(_MODULES):
        following = _MODULES[i + 1] if i + 1 < len(_MODULES) else None
        last_day = None if following is None else following.IN_FORCE_FROM - timedelta(days=1)
        out[module.NAME] = PolicyVersion(
            module.NAME, module.LABEL, module.IN_FORCE_FROM, last_day, module.SUMMARY, module.decide
        )
    return out


POLICY_VERSIONS: dict[str, PolicyVersion] = _versions()
POLICY_NAMES = tuple(POLICY_VERSIONS)
_STARTS = [module.IN_FORCE_FROM for module in _MODULES]
_DECIDERS = {name: version.decide for name, version in POLICY_VERSIONS.items()}


def policy_in_force(day: date) -> str:
    """The name of the policy in force on `day` (the first version for any day before it came into force)."""
    return _MODULES[max(bisect_right(_STARTS, day) - 1, 0)].NAME


def decider(name: str):
    """The `decide(case)` function of a named version; KeyError for an unknown name."""
    return _DECIDERS[name]
