"""Writes for early allocation: the assessment, the HOMD's approval, sending a referral that could not go at the time,
the community decision (only once the referral was sent), and the daily reminder.

Each write is atomic, locks the case's row (two quick submissions run one after the other), records an audit event,
and logs its emails in the same transaction (sent after the commit). A change that can move the handover
(an assessment, a community decision) recalculates the case's handover after the commit, in the same request, so the
page the user lands on already shows the new date (``handover.signals`` also queues a recalculation; it then finds
nothing changed). Bad input is refused with a ValidationError naming the field, before anything is written.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import EarlyAllocation, Prisoner
from cases.services import prisoner_lock
from casework import early_allocation_emails as emails
from casework.calculations.early_allocation import (
    DISCRETIONARY,
    DISCRETIONARY_QUESTIONS,
    ELIGIBLE,
    STATUTORY_QUESTIONS,
    assessment_outcome,
    within_referral_window,
)
from casework.early_allocation_selectors import (
    NO_CURRENT_SENTENCE,
    early_allocation_latest_for_case,
    has_current_sentence,
    ldu_mailbox_for,
    referral_window_for,
    reminder_candidates,
)

logger = logging.getLogger(__name__)
TRIGGER = "early allocation"
DUE_24 = "due_for_release_in_less_than_24months"
REASON_MAX = 1000


def _recalculate_after_commit(prisoner: Prisoner, *, today: dt.date, actor) -> None:
    def run():
        from handover.services.recalculation import recalculate

        recalculate(prisoner.prison_number, today=today, trigger=TRIGGER, actor=actor)

    transaction.on_commit(run, robust=True)


def no_mailbox_message(prisoner: Prisoner) -> str:
    ldu, _ = ldu_mailbox_for(prisoner=prisoner)
    if ldu is None:
        return "The case has no probation delivery unit, so no referral can be sent"
    return f"{ldu.name} has no email address, so no referral can be sent"


def _answers(data: dict, window: dict) -> tuple[dict, dict, bool | None]:
    statutory = {name: data.get(name) for name in STATUTORY_QUESTIONS}
    discretionary = {name: data.get(name) for name in DISCRETIONARY_QUESTIONS}
    due = window["due_within_24_months"]
    if due is None:
        due = data.get(DUE_24)
    return statutory, discretionary, due


def early_allocation_create(*, prisoner: Prisoner, data: dict, actor, today: dt.date) -> EarlyAllocation:
    """Record an assessment. ``data`` holds ``oasys_risk_assessment_date``, the answers (True/False) and ``reason``.

    Inside the 18-month window an automatically eligible case is referred to the delivery unit at once; a
    discretionary one waits for the HOMD's approval. Outside it the assessment is saved and cannot qualify (the
    daily reminder asks the POM to assess again when the window opens). The delivery unit needs an email address
    first (the reference's "dead end")."""
    errors = {}
    oasys = data.get("oasys_risk_assessment_date")
    if oasys is None:
        errors["oasys_risk_assessment_date"] = "Enter the date of the latest OASys risk assessment"
    elif oasys > today:
        errors["oasys_risk_assessment_date"] = "The date of the latest OASys cannot be in the future"
    _, mailbox = ldu_mailbox_for(prisoner=prisoner)
    if not mailbox:
        errors["__all__"] = no_mailbox_message(prisoner)
    if not has_current_sentence(prisoner=prisoner):
        errors["__all__"] = NO_CURRENT_SENTENCE
    window = referral_window_for(prisoner=prisoner, today=today)
    statutory, discretionary, due = _answers(data, window)
    try:
        outcome = assessment_outcome(statutory, discretionary, due_for_release_within_24_months=due)
    except ValueError as missing:
        errors.setdefault(str(missing), "Answer this question")
        outcome = None
    reason = (data.get("reason") or "").strip()
    if outcome == DISCRETIONARY and not reason:
        errors["reason"] = "Give the reason for a discretionary referral"
    if len(reason) > REASON_MAX:
        errors["reason"] = f"Give the reason in {REASON_MAX} characters or fewer"
    if errors:
        raise ValidationError(errors)
    asked_discretionary = outcome != ELIGIBLE
    separation = bool(discretionary.get("extremism_separation")) if asked_discretionary else False
    now = timezone.now()
    with transaction.atomic():
        prisoner_lock(prisoner.pk)
        assessment = EarlyAllocation(
            prisoner=prisoner,
            prison=prisoner.prison,
            oasys_risk_assessment_date=oasys,
            **statutory,
            **({name: discretionary[name] for name in DISCRETIONARY_QUESTIONS} if asked_discretionary else {}),
            due_for_release_in_less_than_24months=due if separation else None,
            reason=reason if outcome == DISCRETIONARY else "",
            outcome=outcome,
            created_within_referral_window=within_referral_window(window["earliest"], today=today),
            created_by=actor,
            created_at=now,
        )
        assessment.validate_constraints()
        assessment.save()
        audit_record(
            action="early_allocation_assessed",
            obj=assessment,
            before=None,
            after={
                "outcome": outcome,
                "created_within_referral_window": assessment.created_within_referral_window,
                "oasys_risk_assessment_date": oasys,
                "earliest_release_date": window["earliest"],
            },
            actor=actor,
            reason=assessment.reason,
            prisoner=prisoner,
        )
        if outcome == ELIGIBLE and assessment.created_within_referral_window:
            _refer(assessment, kind=emails.REFERRAL, to=mailbox, window=window, actor=actor, now=now)
        _recalculate_after_commit(prisoner, today=today, actor=actor)
    return assessment


def _refer(assessment: EarlyAllocation, *, kind: str, to: str, window: dict, actor, now) -> None:
    emails.deliver([emails.ldu_email(kind, assessment, to=to, window=window)], now=now)
    assessment.referral_sent_at = now
    assessment.save(update_fields=["referral_sent_at", "updated_at"])
    audit_record(
        action="early_allocation_referral_sent",
        obj=assessment,
        before={"referral_sent_at": None},
        after={"referral_sent_at": now, "to": to, "kind": kind},
        actor=actor,
        prisoner=assessment.prisoner,
    )


def _latest_or_refuse(prisoner: Prisoner, expected_id: int | None) -> EarlyAllocation:
    latest = early_allocation_latest_for_case(prisoner=prisoner)
    if latest is None:
        raise ValidationError("The case has no early allocation assessment")
    if expected_id is not None and latest.pk != expected_id:
        raise ValidationError("A newer assessment was made while you were working on this one: check it first")
    return latest


def early_allocation_approve(*, prisoner: Prisoner, actor, today: dt.date, expected_id: int | None = None):
    """The HOMD approves the latest (discretionary, in-window) assessment; the community decision request goes to
    the delivery unit when it has an email address."""
    with transaction.atomic():
        prisoner_lock(prisoner.pk)
        assessment = _latest_or_refuse(prisoner, expected_id)
        if assessment.outcome != DISCRETIONARY or not assessment.created_within_referral_window:
            raise ValidationError("Only a discretionary assessment made inside the referral window needs approval")
        if assessment.approved:
            raise ValidationError("This assessment is already approved")
        now = timezone.now()
        assessment.approved, assessment.approved_by = True, actor
        assessment.save(update_fields=["approved", "approved_by", "updated_at"])
        audit_record(
            action="early_allocation_approved",
            obj=assessment,
            before={"approved": False},
            after={"approved": True},
            actor=actor,
            prisoner=prisoner,
        )
        _, mailbox = ldu_mailbox_for(prisoner=prisoner)
        if mailbox:
            window = referral_window_for(prisoner=prisoner, today=today)
            _refer(assessment, kind=emails.DECISION_REQUEST, to=mailbox, window=window, actor=actor, now=now)
    return assessment


def referral_unsent(assessment: EarlyAllocation | None) -> bool:
    """The assessment should have gone to the delivery unit but has not (no mailbox at the time): an eligible or
    approved discretionary assessment made inside the window, with no referral sent and no decision yet."""
    return (
        assessment is not None
        and assessment.created_within_referral_window
        and assessment.referral_sent_at is None
        and assessment.community_decision is None
        and (assessment.outcome == ELIGIBLE or (assessment.outcome == DISCRETIONARY and assessment.approved))
    )


def early_allocation_referral_send(
    *, prisoner: Prisoner, actor, today: dt.date, expected_id: int | None = None
) -> EarlyAllocation:
    """Send the referral of the latest assessment that could not go when it was made or approved (the delivery unit
    had no mailbox then): the automatic referral for an eligible case, the community decision request for an
    approved discretionary one. Needs the mailbox now. Audited; the email is logged as a SentEmail."""
    with transaction.atomic():
        prisoner_lock(prisoner.pk)
        assessment = _latest_or_refuse(prisoner, expected_id)
        if assessment.referral_sent_at is not None:
            raise ValidationError("The referral of this assessment was already sent")
        if not referral_unsent(assessment):
            raise ValidationError(
                "Only an automatically eligible or approved discretionary assessment made inside the referral window, "
                "with no community decision yet, is referred"
            )
        _, mailbox = ldu_mailbox_for(prisoner=prisoner)
        if not mailbox:
            raise ValidationError(no_mailbox_message(prisoner))
        kind = emails.REFERRAL if assessment.outcome == ELIGIBLE else emails.DECISION_REQUEST
        window = referral_window_for(prisoner=prisoner, today=today)
        _refer(assessment, kind=kind, to=mailbox, window=window, actor=actor, now=timezone.now())
    return assessment


def early_allocation_community_decision_record(
    *,
    prisoner: Prisoner,
    decision: bool | None,
    decided_on: dt.date | None,
    actor,
    today: dt.date,
    expected_id: int | None = None,
) -> EarlyAllocation:
    """Record the community's answer to the referral of the latest assessment: yes or no, with the date. An
    automatically eligible case can only be confirmed (omic-requirements.md 2.5: the gatekeeper confirms)."""
    errors = {}
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the community decision"
    elif decided_on > today:
        errors["decided_on"] = "The date of the community decision cannot be in the future"
    if decision is None:
        errors["decision"] = "Select whether the community accepted early allocation"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prisoner_lock(prisoner.pk)
        assessment = _latest_or_refuse(prisoner, expected_id)
        if not assessment.created_within_referral_window or assessment.outcome not in (ELIGIBLE, DISCRETIONARY):
            raise ValidationError(
                "This assessment was not referred to the community, so there is no decision to record"
            )
        if assessment.outcome == DISCRETIONARY and not assessment.approved:
            raise ValidationError("The head of offender management delivery must approve the referral first")
        if assessment.referral_sent_at is None:
            raise ValidationError(
                "The referral has not been sent to the probation delivery unit yet, so there is no community "
                "decision to record: send the referral first"
            )
        if assessment.outcome == ELIGIBLE and decision is False:
            raise ValidationError(
                {"decision": "An automatically eligible case cannot be refused: the statutory criteria decide it"}
            )
        if assessment.community_decision is not None:
            raise ValidationError("The community decision is already recorded for this assessment")
        if decided_on < timezone.localdate(assessment.created_at):
            raise ValidationError({"decided_on": "The community decision cannot be before the assessment"})
        assessment.community_decision = decision
        assessment.community_decision_date = decided_on
        assessment.community_decision_recorded_by = actor
        assessment.save(
            update_fields=[
                "community_decision",
                "community_decision_date",
                "community_decision_recorded_by",
                "updated_at",
            ]
        )
        audit_record(
            action="early_allocation_community_decision",
            obj=assessment,
            before={"community_decision": None, "community_decision_date": None},
            after={"community_decision": decision, "community_decision_date": decided_on},
            actor=actor,
            prisoner=prisoner,
        )
        _recalculate_after_commit(prisoner, today=today, actor=actor)
    return assessment


def early_allocation_reminders_send(*, today: dt.date, progress=None) -> dict:
    """Daily: remind the POM of each case whose latest assessment (eligible or discretionary) was made before the
    18-month window, once the case is inside it. Once per assessment (the email log). Returns the counts."""
    counts = {"checked": 0, "reminded": 0, "no POM email": 0}
    batch = []
    for candidate in reminder_candidates(today=today):
        counts["checked"] += 1
        if not candidate["pom_email"]:
            counts["no POM email"] += 1
            continue
        batch.append(
            emails.pom_reminder_email(
                to=candidate["pom_email"],
                pom_name=candidate["pom_name"],
                prisoner=candidate["prisoner"],
                earliest=candidate["earliest"],
                label=candidate["earliest_label"],
                assessed_on=timezone.localdate(candidate["assessment"].created_at),
            )
        )
        if progress is not None:
            progress(candidate["prisoner"].prison_number)
    with transaction.atomic():
        counts["reminded"] = emails.deliver(batch)
    return counts


__all__ = [
    "early_allocation_approve",
    "early_allocation_community_decision_record",
    "early_allocation_create",
    "early_allocation_referral_send",
    "early_allocation_reminders_send",
    "no_mailbox_message",
    "referral_unsent",
]
