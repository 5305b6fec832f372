"""Writes for the key work quality checks: the prison's sample size, the monthly random sample of each key worker's
entries, the rating of each sampled entry against the checklist, and the key worker reading their feedback.

Why: the inspection found key work judged on quantity, not quality, and the dashboard "did not report on the quality
of keywork" (omic-requirements 4.1, F-13 and F-16); custodial managers or the HOMS are to review a sample of entries
(WF-03, KW-9).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.audit import audit_record
from cases.models import Prison
from keywork.models import QualityAnswer, QualityCheck, QualityCheckSettings, QualitySample
from keywork.recording_calculations import month_start, quality_sample
from keywork.recording_selectors import quality_entries_for_month, quality_sample_size_for_prison


@transaction.atomic
def quality_settings_update(*, prison: Prison, sample_size: int, actor) -> QualityCheckSettings:
    settings, _ = QualityCheckSettings.objects.select_for_update().get_or_create(prison=prison)
    before = settings.sample_size
    settings.sample_size, settings.updated_by = sample_size, actor
    settings.full_clean()
    settings.save()
    audit_record(
        action="updated", obj=settings, before={"sample_size": before}, after={"sample_size": sample_size}, actor=actor
    )
    return settings


def quality_sample_draw(
    *, prison: Prison, month: dt.date, today: dt.date, now: dt.datetime, actor=None, actor_label: str = ""
) -> list[QualitySample]:
    """Draw the month's random sample of each key worker's entries at the prison, at the prison's sample size.

    Only a month that has ended can be sampled. A key worker already sampled for the month is left as they are, so
    the monthly job and a manager drawing by hand never draw twice. Returns the samples drawn now.
    """
    month = month_start(month)
    if month >= month_start(today):
        raise ValidationError({"month": "Choose a month that has ended"})
    size = quality_sample_size_for_prison(prison=prison)
    entries = quality_entries_for_month(prison=prison, month=month)
    already = set(QualitySample.objects.filter(prison=prison, month=month).values_list("key_worker_id", flat=True))
    drawn = []
    for user_id, entry_ids in sorted(entries.items()):
        if user_id in already:
            continue
        chosen = quality_sample(entry_ids=entry_ids, size=size, seed=f"{prison.code}-{user_id}-{month:%Y-%m}")
        try:
            with transaction.atomic():
                sample = QualitySample.objects.create(
                    prison=prison,
                    key_worker_id=user_id,
                    month=month,
                    entry_count=len(entry_ids),
                    sample_size=size,
                    drawn_at=now,
                    drawn_by=actor,
                )
                QualityCheck.objects.bulk_create([QualityCheck(sample=sample, session_id=pk) for pk in chosen])
                audit_record(
                    action="drawn",
                    obj=sample,
                    before=None,
                    after={"month": month, "key_worker": user_id, "entries": len(entry_ids), "sampled": chosen},
                    actor=actor,
                    actor_label=actor_label,
                )
        except IntegrityError:
            continue  # drawn at the same moment by another run: that sample stands
        drawn.append(sample)
    return drawn


def quality_samples_draw_all(*, month: dt.date, today: dt.date, now: dt.datetime) -> dict[str, int]:
    """The monthly job: draw last month's samples in every prison. Prison code -> samples drawn now."""
    return {
        prison.code: len(
            quality_sample_draw(prison=prison, month=month, today=today, now=now, actor_label="keywork_quality_sample")
        )
        for prison in Prison.objects.all()
    }


@transaction.atomic
def quality_check_rate(
    *,
    check: QualityCheck,
    links_to_plan: str,
    clear_next_step: str,
    risk_information_passed: str,
    feedback: str,
    reviewer,
    now: dt.datetime,
) -> QualityCheck:
    """Rate a sampled entry against the checklist, with feedback for the key worker. A reviewer never rates their own
    entries. Rating again replaces the answers, and the key worker is shown the feedback as new."""
    if check.session.key_worker_id == reviewer.pk:
        raise ValidationError("You cannot check your own key work entries: ask another manager")
    answers = {
        "links_to_plan": links_to_plan,
        "clear_next_step": clear_next_step,
        "risk_information_passed": risk_information_passed,
    }
    for name, value in answers.items():
        if value not in QualityAnswer.values:
            raise ValidationError({name: "Choose yes, no or not applicable"})
    before = {name: getattr(check, name) for name in answers} | {"feedback": check.feedback} if check.is_rated else None
    for name, value in answers.items():
        setattr(check, name, value)
    check.feedback = feedback.strip()
    check.reviewer, check.rated_at, check.seen_by_key_worker_at = reviewer, now, None
    check.full_clean()
    check.save()
    audit_record(
        action="rated",
        obj=check,
        before=before,
        after={**answers, "feedback": check.feedback},
        actor=reviewer,
        prisoner=check.session.prisoner,
    )
    return check


@transaction.atomic
def quality_feedback_mark_seen(*, check: QualityCheck, user, now: dt.datetime) -> QualityCheck:
    """The key worker has read the feedback on their entry. Only they can mark it; marking it again changes nothing."""
    if check.session.key_worker_id != user.pk:
        raise ValidationError("Only the key worker who made the entry can mark its feedback as read")
    if not check.is_rated:
        raise ValidationError("This entry has not been checked yet")
    if check.seen_by_key_worker_at is None:
        check.seen_by_key_worker_at = now
        check.save(update_fields=["seen_by_key_worker_at"])
        audit_record(action="read", obj=check, before=None, after={"seen_by_key_worker_at": now}, actor=user)
    return check
