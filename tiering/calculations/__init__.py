"""The tiering engine's pure calculations: V2 (protect A–D, change 0–3), V3 (A–G) and the POM-type strategies."""

from tiering.calculations.parsing import InputError
from tiering.calculations.pom_type import PomTypeInput, PomTypeRecommendation, recommend_pom_type
from tiering.calculations.requests import calculate_request
from tiering.calculations.v2 import V2Input, V2Result, calculate_v2, parse_v2_input
from tiering.calculations.v3 import V3Input, V3Result, calculate_v3, parse_v3_input

MODELS = ("v2", "v3")


def parse_input(model: str, raw):
    """A stored case's inputs, read by the model's own parser (raises InputError naming the field)."""
    if model == "v2":
        return parse_v2_input(raw)
    if model == "v3":
        return parse_v3_input(raw)
    raise InputError("model", f"must be one of {', '.join(MODELS)}; got {model!r}")


def calculate(model: str, parsed) -> V2Result | V3Result:
    return calculate_v2(parsed) if model == "v2" else calculate_v3(parsed)


__all__ = [
    "MODELS",
    "InputError",
    "PomTypeInput",
    "PomTypeRecommendation",
    "V2Input",
    "V2Result",
    "V3Input",
    "V3Result",
    "calculate",
    "calculate_request",
    "calculate_v2",
    "calculate_v3",
    "parse_input",
    "parse_v2_input",
    "parse_v3_input",
    "recommend_pom_type",
]
