"""Build the engine's HandoverFacts from the records: one prisoner, or many in one query.

Every read goes through ``FACT_FIELDS``, a flat ``values()`` row (prisoner, prison, sentence, case information and its
delivery unit, joined in one query), so the single recalculation and the nightly sweep read a case the same way.

Readings (HANDOVER-CLI.md, DECISIONS.md D-19, manage-pom-cases-reference.md 3.4):
- CRD, ARD, PED and HDCED are the sentence calculation's override where there is one (``Sentence.effective``).
- Recalled: the sentence's recall flag, or the legal status "recall".
- Immigration case: the legal status "immigration detainee", or imprisonment status ``DET``.
- Age in whole years on ``as_of`` (a 29 February birthday comes on 1 March in a common year); unknown when the
  date of birth is.
- Prison arrival date: the later of the sentence start and the arrival in this prison.
- Welsh offender: the delivery unit's country is Wales (unknown without a delivery unit).
- Not modelled yet (issue #6): the target hearing date, the latest parole outcome and early allocation. They come
  from ``parole_and_early_allocation`` (the one hook to fill in), which says "not known" / False for now.
"""

import datetime as dt

from cases.models import Prisoner, Sentence
from handover.calculations.explain import facts_to_json
from handover.calculations.types import HandoverFacts

PRISONER_FIELDS = (
    "prison_number",
    "date_of_birth",
    "legal_status",
    "imprisonment_status",
    "prison_arrival_date",
    "security_category",
    "category_approved_date",
    "prison_id",
    "prison__estate",
    "prison__operator",
)
SENTENCE_FIELDS = (
    "sentence_type",
    "sentence_start_date",
    "tariff_expiry_date",
    "home_detention_curfew_actual_date",
    "recalled",
    "additional_future_isp",
    *Sentence.OVERRIDABLE,
    *(f"{name}_override" for name in Sentence.OVERRIDABLE),
)
CASE_FIELDS = ("prisoner_id", "mappa_level", "enhanced_resourcing", "com_id", "local_delivery_unit__country")
FACT_FIELDS = (
    *PRISONER_FIELDS,
    *(f"sentence__{name}" for name in SENTENCE_FIELDS),
    *(f"case_information__{name}" for name in CASE_FIELDS),
)
ENGINE_ESTATES = {"mens_closed", "mens_open", "womens"}  # a youth estate is none of these: estate unknown
__all__ = ["fact_row", "fact_rows", "facts_for", "facts_from_row", "facts_to_json", "has_case_information"]


def fact_rows():
    """Every prisoner as a flat ``values()`` row of FACT_FIELDS (one query however many rows)."""
    return Prisoner.objects.values(*FACT_FIELDS)


def fact_row(prison_number: str) -> dict | None:
    return fact_rows().filter(prison_number=prison_number).first()


def has_case_information(row: dict) -> bool:
    """Only cases with a probation record are calculated and stored (reference 3.3)."""
    return row["case_information__prisoner_id"] is not None


def parole_and_early_allocation(row: dict, as_of: dt.date) -> dict:
    """THE HOOK for issue #6: target hearing date, latest parole outcome and early allocation are not modelled yet.

    Fill this in (reading the parole reviews and early allocation rows for ``row["prison_number"]``) and every
    recalculation, the sweep and the preview use it. Until then: not known, not known, and no early allocation.
    """
    return {"target_hearing_date": None, "latest_parole_outcome": None, "early_allocation": False}


def _effective(row: dict, name: str):
    override = row[f"sentence__{name}_override"]
    return override if override is not None else row[f"sentence__{name}"]


def _age(date_of_birth: dt.date | None, as_of: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    # Whole years; someone born on 29 February is a year older on 1 March in a common year (as in English law).
    return as_of.year - date_of_birth.year - ((as_of.month, as_of.day) < (date_of_birth.month, date_of_birth.day))


def facts_from_row(row: dict, as_of: dt.date) -> HandoverFacts:
    """The facts the engine needs about one case, from one FACT_FIELDS row."""
    start = row["sentence__sentence_start_date"]
    arrival = row["prison_arrival_date"]
    if arrival is not None and start is not None and start > arrival:
        arrival = start
    country = row["case_information__local_delivery_unit__country"]
    estate = row["prison__estate"]
    return HandoverFacts(
        sentence_type=row["sentence__sentence_type"],
        sentence_start_date=start,
        conditional_release_date=_effective(row, "conditional_release_date"),
        automatic_release_date=_effective(row, "automatic_release_date"),
        parole_eligibility_date=_effective(row, "parole_eligibility_date"),
        tariff_expiry_date=row["sentence__tariff_expiry_date"],
        hdc_eligibility_date=_effective(row, "home_detention_curfew_eligibility_date"),
        hdc_actual_date=row["sentence__home_detention_curfew_actual_date"],
        recalled=bool(row["sentence__recalled"]) or row["legal_status"] == Prisoner.LegalStatus.RECALL,
        immigration_case=row["legal_status"] == Prisoner.LegalStatus.IMMIGRATION_DETAINEE
        or row["imprisonment_status"] == "DET",
        imprisonment_status=row["imprisonment_status"] or None,
        age=_age(row["date_of_birth"], as_of),
        mappa_level=row["case_information__mappa_level"],
        additional_future_isp=bool(row["sentence__additional_future_isp"]),
        prison_estate=estate if estate in ENGINE_ESTATES else None,
        prison_code=row["prison_id"],
        category_code=row["security_category"] or None,
        category_active_since=row["category_approved_date"],
        prison_arrival_date=arrival,
        welsh_offender=None if country is None else country == "wales",
        prison_operator=row["prison__operator"],
        enhanced_resourcing=row["case_information__enhanced_resourcing"],
        **parole_and_early_allocation(row, as_of),
    )


def facts_for(prison_number: str, as_of: dt.date) -> HandoverFacts | None:
    """The facts for one prisoner (one query), or None when there is no such prisoner."""
    row = fact_row(prison_number)
    return None if row is None else facts_from_row(row, as_of)
