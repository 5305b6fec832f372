"""Demo casework for ``seed_demo``: parole reviews and early allocation assessments on a realistic share of cases.

Demo data, not a workflow: rows are bulk-created (no audit events, no emails), like the rest of the demo estate, and
built before the handover sweep so that the stored handovers already reflect them.
- Parole: every indeterminate case with a tariff expiry date gets a review whose target hearing date is near the TED
  (about one in five of those with a past TED has a "No Release" outcome recorded, so some ISP swings show); about
  one determinate parole case (with a PED) in two gets a review near its PED.
- Early allocation: about one determinate case in twenty-five within 18 months of release has an assessment, most
  automatically eligible and referred, some discretionary and waiting for the community's decision, a few not
  eligible.
"""

import datetime as dt
import random

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from cases.models import CaseInformation, EarlyAllocation, ParoleReview, Prisoner

EARLY_ALLOCATION_SHARE = 0.04
DETERMINATE_PAROLE_SHARE = 0.5
NOT_RELEASED_SHARE = 0.2
WINDOW = relativedelta(months=18)


def _earliest(sentence) -> dt.date | None:
    dates = [
        sentence.effective("parole_eligibility_date"),
        sentence.effective("automatic_release_date"),
        sentence.effective("conditional_release_date"),
        sentence.tariff_expiry_date,
    ]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def _parole_review(rng: random.Random, prisoner, sentence, today: dt.date, n: int) -> ParoleReview | None:
    anchor = sentence.tariff_expiry_date if sentence.is_indeterminate else sentence.effective("parole_eligibility_date")
    if anchor is None or sentence.sentence_start_date is None:
        return None
    if not sentence.is_indeterminate and rng.random() >= DETERMINATE_PAROLE_SHARE:
        return None
    hearing = max(anchor - dt.timedelta(days=rng.randint(0, 60)), sentence.sentence_start_date)
    review = ParoleReview(
        prisoner=prisoner,
        review_id=f"DEMO-{n:06d}",
        target_hearing_date=hearing,
        custody_report_due=hearing - dt.timedelta(days=56),
        review_type="Indeterminate: post tariff" if sentence.is_indeterminate else "Determinate: PED",
        review_status="Active",
    )
    if hearing < today and rng.random() < NOT_RELEASED_SHARE:
        review.hearing_outcome = "No Release"
        review.hearing_outcome_received_on = min(today, hearing + dt.timedelta(days=rng.randint(7, 28)))
        review.review_status = "Inactive"
    return review


def _early_allocation(rng: random.Random, prisoner, sentence, today: dt.date, now) -> EarlyAllocation | None:
    earliest = _earliest(sentence)
    if sentence.is_indeterminate or earliest is None or not today <= earliest <= today + WINDOW:
        return None
    if rng.random() >= EARLY_ALLOCATION_SHARE:
        return None
    created = now - dt.timedelta(days=rng.randint(1, 60))
    if sentence.sentence_start_date and created.date() < sentence.sentence_start_date:
        return None
    statutory = dict.fromkeys(EarlyAllocation.STATUTORY, False)
    kind = rng.choices(["eligible", "discretionary", "ineligible"], weights=[6, 3, 1])[0]
    assessment = EarlyAllocation(
        prisoner=prisoner,
        prison_id=prisoner.prison_id,
        oasys_risk_assessment_date=created.date() - dt.timedelta(days=rng.randint(10, 200)),
        created_within_referral_window=True,
        created_at=created,
        **statutory,
    )
    if kind == "eligible":
        setattr(assessment, rng.choice(EarlyAllocation.STATUTORY), True)
        assessment.outcome = EarlyAllocation.Outcome.ELIGIBLE
        assessment.referral_sent_at = created
        return assessment
    for name in EarlyAllocation.DISCRETIONARY:
        setattr(assessment, name, False)
    if kind == "discretionary":
        assessment.high_risk_of_serious_harm = True
        assessment.outcome = EarlyAllocation.Outcome.DISCRETIONARY
        assessment.reason = "Very high risk of serious harm to a known adult on release; the LDU should lead."
        assessment.approved = True
        assessment.referral_sent_at = created
    else:
        assessment.outcome = EarlyAllocation.Outcome.INELIGIBLE
    return assessment


def demo_casework_make(*, rng: random.Random, prison_codes, today: dt.date) -> dict[str, int]:
    """Parole reviews and early allocation assessments for the demo prisons; returns the counts made."""
    now = timezone.now()
    reviews, assessments = [], []
    prisoners = (
        Prisoner.objects.filter(prison_id__in=list(prison_codes), sentence__isnull=False)
        .select_related("sentence")
        .order_by("prison_number")
    )
    for prisoner in prisoners:
        sentence = prisoner.sentence
        review = _parole_review(rng, prisoner, sentence, today, len(reviews) + 1)
        if review is not None:
            reviews.append(review)
        assessment = _early_allocation(rng, prisoner, sentence, today, now)
        if assessment is not None:
            assessments.append(assessment)
    ParoleReview.objects.bulk_create(reviews, batch_size=500)
    EarlyAllocation.objects.bulk_create(assessments, batch_size=500)
    return {"parole reviews": len(reviews), "early allocation assessments": len(assessments)}


DONE_SHARE = 0.7  # of the tasks already past their due date; the rest show as overdue, as the inspection found


def demo_tasks_make(*, rng: random.Random, prison_codes, today: dt.date) -> dict[str, int]:
    """After the handovers and allocations: date the COM allocations, derive every case's tasks, and mark most of
    the tasks already due as done (by their due date or a little later)."""
    from casework.models import CaseTask
    from casework.task_recompute import tasks_recompute_for
    from handover.models import CalculatedHandover

    starts = dict(
        CalculatedHandover.objects.filter(
            prisoner__prison_id__in=list(prison_codes), prisoner__case_information__com__isnull=False
        ).values_list("prisoner_id", "handover_start_date")
    )
    cases = CaseInformation.objects.filter(prisoner_id__in=list(starts)).order_by("prisoner_id")
    dated = []
    for case in cases:
        start = starts[case.prisoner_id]
        if start is not None and start <= today:
            case.com_allocated_on = min(today, start + dt.timedelta(days=rng.randint(0, 30)))
            dated.append(case)
    CaseInformation.objects.bulk_update(dated, ["com_allocated_on"], batch_size=500)
    numbers = list(
        Prisoner.objects.filter(prison_id__in=list(prison_codes)).order_by("prison_number").values_list("pk", flat=True)
    )
    tasks_recompute_for(numbers, today=today)
    done = []
    for task in CaseTask.objects.filter(prisoner_id__in=numbers, status=CaseTask.Status.DUE, due_date__lt=today):
        if rng.random() < DONE_SHARE:
            task.status = CaseTask.Status.DONE
            task.completed_on = min(today, task.due_date + dt.timedelta(days=rng.randint(-14, 10)))
            done.append(task)
    CaseTask.objects.bulk_update(done, ["status", "completed_on"], batch_size=500)
    return {"COM allocation dates": len(dated), "case tasks": CaseTask.objects.filter(prisoner_id__in=numbers).count()}
