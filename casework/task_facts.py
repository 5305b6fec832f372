"""Read the task engine's facts (``CaseFacts``) from the records: one case, or a chunk of cases in three queries.

- The prisoner, prison estate, sentence, case information and the handover engine's stored result come in one joined
  ``values()`` query. The earliest release date, the handover type and the handover start date (when the COM is to be
  allocated) are the handover engine's; without a stored result the earliest release falls back to the sentence
  dates (``earliest_release_fallback``).
- The return to custody of a recall is the arrival date in this prison (the recall brings the person back in).
- Parole reviews of this sentence (target hearing date, else custody report due, on or after the sentence start) in
  one query; early allocation assessments made on or after the sentence start in one query (they do the screening
  and review tasks; the discretionary ones made in the referral window ask the community for a decision).
"""

from collections import defaultdict

from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import EarlyAllocation, ParoleReview, Prisoner, Sentence
from casework.calculations.case_facts import CaseFacts, EarlyAllocationFact, ParoleReviewFact, earliest_release_fallback

__all__ = ["FACT_VALUES", "case_facts_for_numbers", "task_facts_for"]

FACT_VALUES = (
    "prison_number",
    "prison_id",
    "legal_status",
    "sex",
    "prison__estate",
    "care_experienced",
    "date_of_birth",
    "imprisonment_status",
    "prison_arrival_date",
    "youth_transfer_on",
    "sentence__sentence_type",
    "sentence__sentence_start_date",
    "sentence__recalled",
    "sentence__recall_type",
    "sentence__tariff_expiry_date",
    *(
        f"sentence__{name}"
        for name in ("parole_eligibility_date", "automatic_release_date", "conditional_release_date")
    ),
    *(
        f"sentence__{name}_override"
        for name in ("parole_eligibility_date", "automatic_release_date", "conditional_release_date")
    ),
    "case_information__rosh_level",
    "case_information__com_allocated_on",
    "calculated_handover__earliest_release_date",
    "calculated_handover__handover_start_date",
    "calculated_handover__handover_type",
)


def _effective(row: dict, name: str):
    override = row.get(f"sentence__{name}_override")
    return override if override is not None else row.get(f"sentence__{name}")


def _facts_from_row(row: dict, reviews: list, assessments: list) -> CaseFacts:
    sentence_type = row["sentence__sentence_type"]
    release = row["calculated_handover__earliest_release_date"]
    if release is None and sentence_type is not None:
        release = earliest_release_fallback(
            indeterminate=sentence_type == Sentence.SentenceType.INDETERMINATE,
            ped=_effective(row, "parole_eligibility_date"),
            ard=_effective(row, "automatic_release_date"),
            crd=_effective(row, "conditional_release_date"),
            ted=row["sentence__tariff_expiry_date"],
        )
    return CaseFacts(
        prison_number=row["prison_number"],
        legal_status=row["legal_status"],
        sex=row["sex"],
        estate=row["prison__estate"],
        care_experienced=row["care_experienced"],
        date_of_birth=row["date_of_birth"],
        sentence_type=sentence_type,
        sentence_start=row["sentence__sentence_start_date"],
        imprisonment_status=row["imprisonment_status"],
        recalled=bool(row["sentence__recalled"]),
        recall_type=row["sentence__recall_type"] or "",
        returned_to_custody_on=row["prison_arrival_date"],
        earliest_release=release,
        rosh_level=row["case_information__rosh_level"] or "",
        handover_type=row["calculated_handover__handover_type"] or "",
        com_allocation_due=row["calculated_handover__handover_start_date"],
        com_allocated_on=row["case_information__com_allocated_on"],
        youth_transfer_on=row["youth_transfer_on"],
        parole_reviews=tuple(reviews),
        early_allocations=tuple(assessments),
    )


def _reviews_by_prisoner(numbers: list[str], starts: dict) -> dict:
    reviews = defaultdict(list)
    rows = (
        ParoleReview.objects.filter(prisoner_id__in=numbers)
        .annotate(sortable_date=Coalesce("target_hearing_date", "custody_report_due"))
        .order_by("prisoner_id", "sortable_date", "id")
        .values_list("prisoner_id", "pk", "target_hearing_date", "hearing_outcome_received_on", "sortable_date")
    )
    for number, pk, hearing, received, sortable in rows:
        start = starts.get(number)
        if start is not None and sortable is not None and sortable < start:
            continue  # an earlier sentence's review
        reviews[number].append(ParoleReviewFact(pk, hearing, received))
    return reviews


def _assessments_by_prisoner(numbers: list[str], starts: dict) -> dict:
    assessments = defaultdict(list)
    rows = (
        EarlyAllocation.objects.filter(prisoner_id__in=numbers)
        .order_by("prisoner_id", "created_at", "id")
        .values_list(
            "prisoner_id",
            "pk",
            "created_at",
            "referral_sent_at",
            "community_decision_date",
            "outcome",
            "created_within_referral_window",
        )
    )
    for number, pk, created_at, sent_at, decided_on, outcome, in_window in rows:
        made_on = timezone.localdate(created_at)  # the day in Europe/London, not in UTC
        start = starts.get(number)
        if start is not None and made_on < start:
            continue  # an earlier sentence's assessment
        asks = outcome == EarlyAllocation.Outcome.DISCRETIONARY and in_window
        requested = timezone.localdate(sent_at) if asks and sent_at else made_on
        assessments[number].append(EarlyAllocationFact(pk, requested, decided_on, asks, in_window))
    return assessments


def case_facts_for_numbers(numbers=None, *, prison_code: str | None = None) -> dict[str, CaseFacts]:
    """{prison_number: CaseFacts} for the given prisoners (or a prison's, or all): three queries."""
    qs = Prisoner.objects.all()
    if numbers is not None:
        qs = qs.filter(prison_number__in=list(numbers))
    if prison_code is not None:
        qs = qs.filter(prison_id=prison_code)
    rows = list(qs.order_by().values(*FACT_VALUES))
    if not rows:
        return {}
    found = [row["prison_number"] for row in rows]
    starts = {row["prison_number"]: row["sentence__sentence_start_date"] for row in rows}
    reviews = _reviews_by_prisoner(found, starts)
    assessments = _assessments_by_prisoner(found, starts)
    return {
        row["prison_number"]: _facts_from_row(
            row, reviews.get(row["prison_number"], []), assessments.get(row["prison_number"], [])
        )
        for row in rows
    }


def task_facts_for(*, prisoner_number: str) -> CaseFacts | None:
    return case_facts_for_numbers([prisoner_number]).get(prisoner_number)
