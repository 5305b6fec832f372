"""Plain-English "why this date" for a calculated result, policy metadata, and input snapshots.

`explain(facts, result)` returns a dict of short texts for a "why this date" panel: who is responsible now and the
rule that put them there (naming the DECISIONS.md entry or the policy), the release date used, the policy version
and its dates in force, and what would change the result.
"""

from dataclasses import fields
from datetime import date

from handover.calculations.inputs import FieldError, read_facts
from handover.calculations.policies import POLICY_VERSIONS
from handover.calculations.types import HandoverFacts, HandoverResult

__all__ = ["POLICY_VERSIONS", "explain", "facts_from_json", "facts_to_json"]

_FACT_NAMES = tuple(f.name for f in fields(HandoverFacts))

RESPONSIBILITY_TEXT = {
    "CustodyOnly": "The prison offender manager (POM) is responsible. "
    "No community offender manager (COM) is involved yet.",
    "CustodyWithCom": "The POM is responsible and the COM is supporting.",
    "Community": "The COM is responsible and the POM is supporting.",
}
RELEASE_TEXT = {
    "TED": "tariff expiry date (TED)",
    "THD": "target hearing date (THD)",
    "PED": "parole eligibility date (PED)",
    "ARD": "automatic release date (ARD)",
    "CRD": "conditional release date (CRD)",
    "HDCAD": "home detention curfew actual date (HDCAD)",
    "HDCED": "home detention curfew eligibility date (HDCED)",
}
REASON_TEXT = {
    "outside_omic_policy": "The case is outside OMiC: under 18, a civil case, or not sentenced (DECISIONS.md D-19).",
    "determinate": "A determinate sentence: the COM takes over 8 months and 14 days before the earliest release date.",
    "determinate_short": "A determinate sentence with a release on or before 10 months after the sentence start: "
    "the COM is responsible from the start and there is no handover (DECISIONS.md D-04).",
    "determinate_parole": "A determinate parole case (it has a PED): the COM takes over before the PED.",
    "indeterminate": "An indeterminate sentence: the COM takes over before the earliest release date.",
    "indeterminate_open": "An indeterminate sentence in open conditions: the COM supports from the day the case went "
    "open and takes over before the earliest release date.",
    "early_allocation": "Early allocation is in force: the COM takes over 15 months before the earliest release date.",
    "recall_case": "A recall: the COM stays responsible.",
    "immigration_case": "An immigration case: the COM is responsible.",
    "release_date_unknown": "There is no earliest release date, so the POM stays responsible until one is known.",
    "additional_isp": "A further indeterminate sentence starts after this one: the POM stays responsible.",
    "thd_over_12_months": "The parole board did not release at the last review and the next hearing is 12 months or "
    "more away (DECISIONS.md D-03): the POM is responsible with the COM supporting.",
    "recall_thd_over_12_months": "A recalled indeterminate sentence with the next hearing 12 months or more away and "
    "MAPPA level unknown, 0 or 1: the POM is responsible with the COM supporting.",
    "parole_mappa_2_3": "The parole board did not release, the next hearing is 12 months or more away and the case "
    "is MAPPA level 2 or 3: the COM is responsible.",
    "crc_case": "A legacy CRC case: the COM takes over 12 weeks before release.",
    "less_than_10_months_left_to_serve": "10 months or less to serve: the COM is responsible from the start.",
    "pre_omic_rules": "Sentenced before OMiC started and released before the cutoff (or in open conditions before "
    "the open-prison rules applied): the COM stays responsible (DECISIONS.md D-20).",
    "nps_early_allocation": "A legacy NPS case with early allocation: the COM takes over 15 months before release.",
    "nps_indeterminate": "A legacy NPS indeterminate sentence: the COM takes over 8 months before release.",
    "nps_indeterminate_open": "A legacy NPS indeterminate sentence in open conditions: the COM supports from the day "
    "the case went open and takes over 8 months before release.",
    "nps_determinate_parole_case": "A legacy NPS determinate parole case: the COM takes over 8 months before the PED.",
    "nps_determinate": "A legacy NPS determinate case: the COM takes over 7.5 months before the CRD or ARD, never "
    "before the sentence start.",
    "nps_mappa_unknown": "A legacy NPS determinate case, MAPPA level unknown: the COM is allocated 7.5 months and "
    "takes over 4.5 months before the CRD or ARD (or at the HDC date).",
    "nps_determinate_mappa_1_n": "A legacy NPS determinate case at MAPPA level 1 or none: the COM is allocated 7.5 "
    "months and takes over 4.5 months before the CRD or ARD (or at the HDC date).",
    "nps_determinate_mappa_2_3": "A legacy NPS determinate case at MAPPA level 2 or 3: the COM takes over 7.5 months "
    "before the CRD or ARD.",
}


def _day(value: date | None) -> str | None:
    return None if value is None else value.strftime("%-d %B %Y")


def _what_would_change(facts: HandoverFacts, result: HandoverResult) -> list[str]:
    changes = []
    release = result.earliest_release_date
    current_rules = result.policy in ("current", "2023-11")
    if not result.inside_omic_policy:
        return ["A sentence start date with a release date, or an immigration case, would bring the case into OMiC."]
    if result.reason == "release_date_unknown":
        changes.append(
            "A release date (TED or THD for an indeterminate sentence; PED, CRD or ARD otherwise) would "
            "give a handover date."
        )
    if (
        facts.early_allocation is not True
        and release is not None
        and result.reason
        not in (
            "recall_case",
            "immigration_case",
        )
    ):
        changes.append(f"An early allocation decision would move the handover to 15 months before {_day(release)}.")
    if facts.sentence_type != "indeterminate" and facts.parole_eligibility_date is None and release is not None:
        months = "12 months" if current_rules else "8 months"
        changes.append(
            f"A parole eligibility date would become the release date, with the handover {months} before it."
        )
    if facts.sentence_type == "indeterminate" and facts.target_hearing_date is None:
        changes.append("A target hearing date would be used when the tariff expiry date is past.")
    if facts.recalled is not True:
        changes.append("A recall would make the COM responsible.")
    return changes


def explain(facts: HandoverFacts, result: HandoverResult) -> dict:
    """Plain-English texts for a "why this date" panel (see module docstring)."""
    version = POLICY_VERSIONS[result.policy]
    if result.earliest_release_date is None:
        release_text = "No earliest release date is known."
    else:
        name = RELEASE_TEXT.get(result.earliest_release_type, result.earliest_release_type)
        release_text = f"The handover is counted back from the {name}, {_day(result.earliest_release_date)}."
    in_force = f"in force from {_day(version.in_force_from)}"
    if version.in_force_to is not None:
        in_force += f" to {_day(version.in_force_to)}"
    return {
        "responsible_now": RESPONSIBILITY_TEXT.get(result.responsibility, "Nobody: no handover is calculated."),
        "rule": REASON_TEXT.get(result.reason, result.reason),
        "reason": result.reason,
        "release": release_text,
        "release_type": result.earliest_release_type,
        "release_date": result.earliest_release_date,
        "handover_start_date": result.handover_start_date,
        "handover_date": result.handover_date,
        "policy": version.name,
        "policy_label": version.label,
        "policy_in_force": f"{version.label} ({in_force}; DECISIONS.md D-01).",
        "policy_summary": version.summary,
        "what_would_change": _what_would_change(facts, result),
    }


def facts_to_json(facts: HandoverFacts) -> dict:
    """The facts as JSON for a snapshot: dates as ISO strings, unknown (None) facts left out."""
    out = {}
    for name in _FACT_NAMES:
        value = getattr(facts, name)
        if value is not None:
            out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def facts_from_json(data: dict) -> HandoverFacts:
    """The facts back from `facts_to_json` (or a CLI case); ValueError naming the field on bad input."""
    errors = []
    facts = read_facts(data, errors)
    if errors:
        raise FieldError("; ".join(errors))
    return facts
