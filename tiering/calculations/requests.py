"""One `tier_calc` request in, one result out (TIER-CLI.md). Pure: no database, no settings, no clock."""

from tiering.calculations.parsing import InputError
from tiering.calculations.pom_type import parse_pom_type_input, recommend_by_rosh, recommend_by_tier
from tiering.calculations.v2 import calculate_v2, parse_v2_input
from tiering.calculations.v3 import calculate_v3, parse_v3_input

MODELS = {
    "v2": lambda raw: calculate_v2(parse_v2_input(raw)).as_output(),
    "v3": lambda raw: calculate_v3(parse_v3_input(raw)).as_output(),
    "pom_tier_strategy": lambda raw: recommend_by_tier(parse_pom_type_input(raw, with_rosh=False)).as_output(),
    "pom_rosh_strategy": lambda raw: recommend_by_rosh(parse_pom_type_input(raw, with_rosh=True)).as_output(),
}


def calculate_request(request: dict) -> dict:
    """The result for one request object: ``id`` echoed, then the model's fields, or ``error`` naming the field."""
    result = {"id": request.get("id")}
    model = request.get("model")
    try:
        if not isinstance(model, str) or model not in MODELS:
            raise InputError("model", f"must be one of {', '.join(MODELS)}; got {model!r}")
        raw = request.get("input", {})
        result.update(MODELS[model]({} if raw is None else raw))
    except InputError as error:
        result["error"] = str(error)
    return result
