"""The handover examples (a copy of ../shared/spec/handover-examples.json) and the decisions that override some."""

import json
from pathlib import Path

EXAMPLES = json.loads((Path(__file__).parent / "handover_examples.json").read_text())
VECTORS = EXAMPLES["vectors"]


def by_scope(*scopes):
    return [v for v in VECTORS if v["scope"] in scopes]


def policy_of(vector) -> str:
    """The policy a vector names: its rule_version ("current", "v2023-05" -> "2023-05")."""
    version = vector["rule_version"]
    return version if version == "current" else version.removeprefix("v")


# Vectors whose expected values DECISIONS.md overrides: {id: (decision, what the product does instead)}.
# None so far: every vector agrees once its named policy is applied (see test_handover_calc_cli.py for D-01).
OVERRIDDEN: dict[str, tuple[str, dict]] = {}
