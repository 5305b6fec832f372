"""Writes for management oversight: the prison's sample size, the monthly sample of each POM's cases, a case added by
hand, the HOMD's audit against the inspection's quality questions, and the actions the POM marks done.

Every change to a case is written to the audit trail with the prisoner, so it shows on the case timeline.
Why: management oversight was effective in under a quarter of cases (omic-requirements.md 4.1, F-15; WF-19).
"""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.audit import audit_record
from cases.models import Prison
from oversight.calculations import month_start, sample_cases
from oversight.models import (
    ANSWER_FIELDS,
    MAXIMUM_SAMPLE_SIZE,
    Answer,
    OversightAction,
    OversightAudit,
    OversightSample,
    OversightSettings,
)
from oversight.selectors import (
    case_primary_pom,
    caseloads_for_prison,
    pom_names_for,
    recently_audited,
    sample_size_for_prison,
    sampled_pom_ids,
)

NOTE_FIELDS = tuple(f"{name}_notes" for name in ANSWER_FIELDS)


@transaction.atomic
def oversight_settings_update(*, prison: Prison, sample_size: int, actor) -> OversightSettings:
    if not 1 <= sample_size <= MAXIMUM_SAMPLE_SIZE:
        raise ValidationError({"sample_size": f"Audit between 1 and {MAXIMUM_SAMPLE_SIZE} cases for each POM"})
    settings, _ = OversightSettings.objects.select_for_update().get_or_create(prison=prison)
    before = settings.sample_size
    settings.sample_size, settings.updated_by = sample_size, actor
    settings.save()
    audit_record(
        action="updated", obj=settings, before={"sample_size": before}, after={"sample_size": sample_size}, actor=actor
    )
    return settings


def oversight_sample_draw(
    *,
    prison: Prison,
    today: dt.date,
    now: dt.datetime,
    actor=None,
    actor_label: str = "",
    progress: Callable[[str], None] | None = None,
) -> list[OversightSample]:
    """Draw this month's sample of each POM's cases at the prison, at the prison's sample size.

    The sample is of the POM's caseload now (their active primary allocations of people held here), so only the
    current month can be drawn. A POM already sampled this month keeps their sample, so the monthly job and the HOMD
    drawing by hand never draw twice; a case the HOMD already added by hand this month is not drawn again. Each POM's
    sample is saved on its own: one POM's failure does not undo another's. Returns the samples drawn now.
    """
    month = month_start(today)
    size = sample_size_for_prison(prison=prison)
    caseloads = caseloads_for_prison(prison=prison)
    already = sampled_pom_ids(prison=prison, month=month)
    recent = recently_audited(prison=prison, month=month)
    in_audit = set(OversightAudit.objects.filter(prison=prison, month=month).values_list("prisoner_id", flat=True))
    drawn = []
    for pom_id, case_ids in sorted(caseloads.items()):
        if pom_id in already:
            continue
        candidates = [c for c in case_ids if c not in in_audit]
        chosen = (
            sample_cases(
                case_ids=candidates, size=size, seed=f"{prison.code}-{pom_id}-{month:%Y-%m}", recently_audited=recent
            )
            if candidates
            else []
        )
        try:
            with transaction.atomic():
                sample = OversightSample.objects.create(
                    prison=prison,
                    pom_id=pom_id,
                    month=month,
                    case_count=len(case_ids),
                    sample_size=size,
                    drawn_at=now,
                    drawn_by=actor,
                )
                for prison_number in chosen:
                    audit = OversightAudit.objects.create(
                        prison=prison,
                        prisoner_id=prison_number,
                        pom_id=pom_id,
                        month=month,
                        sample=sample,
                        added_by=actor,
                        added_at=now,
                    )
                    audit_record(
                        action="sampled for oversight",
                        obj=audit,
                        before=None,
                        after={"month": f"{month:%Y-%m}", "pom": pom_id},
                        actor=actor,
                        actor_label=actor_label,
                        prisoner=audit.prisoner,
                    )
        except IntegrityError:
            continue  # drawn at the same moment by another run: that sample stands
        drawn.append(sample)
        if progress is not None:
            name = pom_names_for(pom_ids=[pom_id]).get(pom_id, pom_id)
            progress(f"{prison.code} {name}: {len(chosen)} of {len(case_ids)} cases")
    return drawn


def oversight_samples_draw_all(
    *, today: dt.date, now: dt.datetime, progress: Callable[[str], None] | None = None, prison_code: str = ""
) -> dict[str, int]:
    """The monthly job: draw this month's samples in every prison (or one). Prison code -> samples drawn now."""
    prisons = Prison.objects.order_by("code")
    if prison_code:
        prisons = prisons.filter(code=prison_code)
    result = {}
    for prison in prisons:
        drawn = oversight_sample_draw(
            prison=prison, today=today, now=now, actor_label="oversight_sample", progress=progress
        )
        result[prison.code] = len(drawn)
    return result


@transaction.atomic
def oversight_case_add(
    *, prison: Prison, prison_number: str, today: dt.date, now: dt.datetime, actor
) -> OversightAudit:
    """The HOMD adds a case to this month's audits by hand. The case must be held here and have a primary POM; a case
    already in this month's audits is refused."""
    found = case_primary_pom(prison=prison, prison_number=prison_number)
    if found is None:
        raise ValidationError({"prison_number": "There is no one with this prison number in this prison"})
    prisoner, pom = found
    if pom is None:
        raise ValidationError({"prison_number": f"{prisoner.full_name} has no POM to audit: allocate a POM first"})
    if pom.user_id == getattr(actor, "pk", None):
        raise ValidationError({"prison_number": "You cannot audit your own case: ask another manager"})
    month = month_start(today)
    try:
        with transaction.atomic():
            audit = OversightAudit.objects.create(
                prison=prison, prisoner=prisoner, pom=pom, month=month, added_by=actor, added_at=now
            )
    except IntegrityError:
        raise ValidationError(
            {"prison_number": f"{prisoner.full_name} is already in the audits for {month:%B %Y}"}
        ) from None
    audit_record(
        action="added to oversight audits",
        obj=audit,
        before=None,
        after={"month": f"{month:%Y-%m}", "pom": pom.pk},
        actor=actor,
        prisoner=prisoner,
    )
    return audit


@transaction.atomic
def oversight_audit_complete(*, audit: OversightAudit, answers: dict[str, str], notes: dict[str, str], auditor, now):
    """Record the HOMD's answers to every quality question, the overall judgement and notes. Saving again replaces
    them. Nobody audits their own case."""
    if audit.pom.user_id == getattr(auditor, "pk", None):
        raise ValidationError("You cannot audit your own case: ask another manager")
    errors = {}
    for name in ANSWER_FIELDS:
        if answers.get(name) not in Answer.values:
            errors[name] = "Choose yes, partly or no"
    if errors:
        raise ValidationError(errors)
    audit = OversightAudit.objects.select_for_update().get(pk=audit.pk)
    before = {**audit.answers(), **{n: getattr(audit, n) for n in NOTE_FIELDS}} if audit.is_completed else None
    for name in ANSWER_FIELDS:
        setattr(audit, name, answers[name])
    for name in NOTE_FIELDS:
        setattr(audit, name, (notes.get(name) or "").strip())
    audit.auditor, audit.completed_at = auditor, now
    audit.save()
    audit_record(
        action="oversight audit completed" if before is None else "oversight audit changed",
        obj=audit,
        before=before,
        after=audit.answers(),
        actor=auditor,
        prisoner=audit.prisoner,
    )
    return audit


@transaction.atomic
def oversight_action_add(
    *, audit: OversightAudit, description: str, due_date: dt.date, actor, today: dt.date, now: dt.datetime
) -> OversightAction:
    """Set the POM an action after a completed audit, due today or later."""
    description = description.strip()
    errors = {}
    if not audit.is_completed:
        errors["description"] = "Complete the audit before setting actions"
    elif not description:
        errors["description"] = "Enter the action for the POM"
    if due_date < today:
        errors["due_date"] = "The due date must be today or in the future"
    if errors:
        raise ValidationError(errors)
    action = OversightAction.objects.create(
        audit=audit, description=description, due_date=due_date, created_by=actor, created_at=now
    )
    audit_record(
        action="oversight action set",
        obj=action,
        before=None,
        after={"description": description, "due_date": due_date},
        actor=actor,
        prisoner=audit.prisoner,
    )
    return action


@transaction.atomic
def oversight_action_done(*, action: OversightAction, user, now: dt.datetime) -> OversightAction:
    """The audited POM marks an action done. Marking it again changes nothing."""
    if action.audit.pom.user_id != user.pk:
        raise ValidationError("Only the POM whose case was audited can mark its actions done")
    action = OversightAction.objects.select_for_update().select_related("audit__prisoner").get(pk=action.pk)
    if action.done_at is None:
        action.done_at, action.done_by = now, user
        action.save(update_fields=["done_at", "done_by"])
        audit_record(
            action="oversight action done",
            obj=action,
            before={"done_at": None},
            after={"done_at": now},
            actor=user,
            prisoner=action.audit.prisoner,
        )
    return action
