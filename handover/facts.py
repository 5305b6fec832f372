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
- Target hearing date: that of the latest parole review (by THD, falling back to the custody report due date) for
  this sentence (on or after the sentence start).
- Latest parole outcome: the latest *completed* review for this sentence (``ParoleReview.completed``): "release"
  when its outcome starts "Release", else "not_release"; not known (None) when no review is completed.
- Early allocation: the latest assessment made on or after the sentence start qualifies
  (``EarlyAllocation.qualifies``: made in the 18-month window, and eligible or the community said yes), and the
  licence expiry date is not in the past.
These three are subquery annotations on the same single query (``PAROLE_AND_EARLY_ALLOCATION``), so the sweep reads
a chunk of cases in one query however many reviews and assessments there are.
"""

import datetime as dt

from django.db.models import BooleanField, Case, CharField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from cases.models import EarlyAllocation, ParoleReview, Prisoner, Sentence
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


def _parole_reviews_for_this_sentence():
    return (
        ParoleReview.objects.filter(prisoner=OuterRef("pk"))
        .annotate(sortable_date=Coalesce("target_hearing_date", "custody_report_due"))
        .filter(sortable_date__gte=OuterRef("sentence__sentence_start_date"))
        .order_by("-sortable_date", "-id")
    )


_COMPLETED = Q(hearing_outcome_received_on__isnull=False) | ~(
    Q(hearing_outcome="") | Q(hearing_outcome__iexact="not applicable") | Q(hearing_outcome__iexact="not specified")
)
_QUALIFIES = Q(created_within_referral_window=True) & (
    Q(outcome=EarlyAllocation.Outcome.ELIGIBLE) | Q(community_decision=True)
)
PAROLE_AND_EARLY_ALLOCATION = {
    "parole_target_hearing_date": Subquery(_parole_reviews_for_this_sentence().values("target_hearing_date")[:1]),
    "parole_latest_outcome": Subquery(
        _parole_reviews_for_this_sentence()
        .filter(_COMPLETED)
        .annotate(
            result=Case(
                When(hearing_outcome__istartswith="release", then=Value("release")),
                default=Value("not_release"),
                output_field=CharField(),
            )
        )
        .values("result")[:1]
    ),
    "early_allocation_qualifies": Subquery(
        EarlyAllocation.objects.filter(
            prisoner=OuterRef("pk"), created_at__date__gte=OuterRef("sentence__sentence_start_date")
        )
        .order_by("-created_at", "-id")
        .annotate(result=Case(When(_QUALIFIES, then=Value(True)), default=Value(False), output_field=BooleanField()))
        .values("result")[:1]
    ),
}


def fact_rows():
    """Every prisoner as a flat ``values()`` row of FACT_FIELDS and the parole and early allocation facts (one query
    however many rows)."""
    return Prisoner.objects.annotate(**PAROLE_AND_EARLY_ALLOCATION).values(*FACT_FIELDS, *PAROLE_AND_EARLY_ALLOCATION)


def fact_row(prison_number: str) -> dict | None:
    return fact_rows().filter(prison_number=prison_number).first()


def has_case_information(row: dict) -> bool:
    """Only cases with a probation record are calculated and stored (reference 3.3)."""
    return row["case_information__prisoner_id"] is not None


def parole_and_early_allocation(row: dict, as_of: dt.date) -> dict:
    """The target hearing date, latest parole outcome and early allocation, from the row's annotations."""
    licence_expiry = _effective(row, "licence_expiry_date")
    early = bool(row.get("early_allocation_qualifies")) and (licence_expiry is None or licence_expiry >= as_of)
    return {
        "target_hearing_date": row.get("parole_target_hearing_date"),
        "latest_parole_outcome": row.get("parole_latest_outcome"),
        "early_allocation": early,
    }


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
