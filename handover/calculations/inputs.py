"""Reading a case from JSON and writing a result as JSON, exactly per HANDOVER-CLI.md.

Every field is optional except `as_of`; absent and null mean the same. A malformed date, an unknown enum value or a
wrong type is an error naming the field (a bool is never an integer, a string is never a bool). Unknown fields are
ignored. `parole_review_date` is the older name for the target hearing date, used when THD is absent.
"""

import re
from dataclasses import fields
from datetime import date

from handover.calculations.policies import POLICY_NAMES
from handover.calculations.types import HandoverFacts, HandoverResult

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FieldError(ValueError):
    """What is wrong with one case's input; the message names every bad field."""


def _date(value):
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be a date as YYYY-MM-DD, got {value!r}")


def _bool(value):
    if value is True or value is False:
        return value
    raise ValueError(f"must be true or false, got {value!r}")


def _string(value):
    if isinstance(value, str):
        return value
    raise ValueError(f"must be a string, got {value!r}")


def _age(value):
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"must be a whole number of years, got {value!r}")


def _mappa(value):
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2, 3):
        return value
    raise ValueError(f"must be null, 0, 1, 2 or 3, got {value!r}")


def _enum(*allowed):
    def read(value):
        if isinstance(value, str) and value in allowed:
            return value
        raise ValueError(f"must be one of {', '.join(allowed)}, got {value!r}")

    return read


READERS = {
    "sentence_type": _enum("determinate", "indeterminate"),
    "sentence_start_date": _date,
    "conditional_release_date": _date,
    "automatic_release_date": _date,
    "parole_eligibility_date": _date,
    "tariff_expiry_date": _date,
    "target_hearing_date": _date,
    "hdc_eligibility_date": _date,
    "hdc_actual_date": _date,
    "recalled": _bool,
    "immigration_case": _bool,
    "imprisonment_status": _string,
    "age": _age,
    "mappa_level": _mappa,
    "latest_parole_outcome": _enum("none", "release", "not_release"),
    "additional_future_isp": _bool,
    "early_allocation": _bool,
    "prison_estate": _enum("mens_closed", "mens_open", "womens"),
    "prison_code": _string,
    "category_code": _string,
    "category_active_since": _date,
    "prison_arrival_date": _date,
    "welsh_offender": _bool,
    "probation_provider": _enum("NPS", "CRC"),
    "prison_operator": _enum("public", "private"),
    "enhanced_resourcing": _bool,
}
assert set(READERS) == {f.name for f in fields(HandoverFacts)}, "every fact needs a reader"
_POLICY = _enum(*POLICY_NAMES)


def read_facts(data: dict, errors: list[str]) -> HandoverFacts:
    values = {}
    for name, read in READERS.items():
        raw = data.get(name)
        if raw is not None:
            try:
                values[name] = read(raw)
            except ValueError as exc:
                errors.append(f"{name}: {exc}")
    raw = data.get("parole_review_date")
    if raw is not None:
        try:
            prd = _date(raw)
        except ValueError as exc:
            errors.append(f"parole_review_date: {exc}")
        else:
            values.setdefault("target_hearing_date", prd)
    return HandoverFacts(**values)


def read_case(data: dict) -> tuple[date, str | None, HandoverFacts]:
    """(as_of, policy or None, facts) from one input object; FieldError naming every bad field."""
    errors = []
    as_of = policy = None
    if data.get("id") is not None and not isinstance(data["id"], str):
        errors.append(f"id: must be a string, got {data['id']!r}")
    if data.get("as_of") is None:
        errors.append("as_of: required")
    else:
        try:
            as_of = _date(data["as_of"])
        except ValueError as exc:
            errors.append(f"as_of: {exc}")
    if data.get("policy") is not None:
        try:
            policy = _POLICY(data["policy"])
        except ValueError as exc:
            errors.append(f"policy: {exc}")
    facts = read_facts(data, errors)
    if errors:
        raise FieldError("; ".join(errors))
    return as_of, policy, facts


def _iso(day: date | None):
    return None if day is None else day.isoformat()


def result_to_json(case_id, result: HandoverResult) -> dict:
    """The contract's result object (HANDOVER-CLI.md, "A result"), keys in the contract's order.

    Outside OMiC every field after `inside_omic_policy` is null but `reason` (the contract), `policy` included; the
    engine's own result still records the policy whose gate was applied, for the stored history."""
    release = None
    if result.earliest_release_date is not None:
        release = {"type": result.earliest_release_type, "date": result.earliest_release_date.isoformat()}
    return {
        "id": case_id,
        "inside_omic_policy": result.inside_omic_policy,
        "earliest_release": release,
        "handover_start_date": _iso(result.handover_start_date),
        "handover_date": _iso(result.handover_date),
        "responsibility": result.responsibility,
        "pom_role": result.pom_role,
        "com_role": result.com_role,
        "reason": result.reason,
        "policy": result.policy if result.inside_omic_policy else None,
    }


def error_to_json(case_id, message: str) -> dict:
    """An errored case: its id and what is wrong (naming the field); nothing was calculated."""
    return {"id": case_id, "error": message}
