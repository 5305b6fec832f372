"""Writes for allocation: allocate, reallocate and deallocate the primary POM, add and remove a co-working POM,
and end every allocation of a case on a transfer, release or legal status change.

Each service runs in one transaction, locks the prisoner row first (``select_for_update``) so that two people
allocating the same case queue up behind each other, records an AuditEvent, and sends its emails after commit
(``allocation.tasks.pom_email_send``). The database constraints (one active primary and one active co-working POM
per case, a POM once per case) are the last line: an IntegrityError from them becomes ``AllocationConflict``.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from allocation.calculations import OMIC_ALLOCATION_LEGAL_STATUSES, RELEASED
from allocation.selectors import case_for_recommendation, recommendation_for
from cases.audit import audit_record
from cases.models import PomAllocation, PomProfile, Prisoner
from cases.params import positive_id

Role = PomAllocation.Role
EndTrigger = PomAllocation.EndTrigger
OverrideReason = PomAllocation.OverrideReason
UNCHECKED = object()
NEEDS_DETAIL = (OverrideReason.SUITABILITY, OverrideReason.OTHER)


class AllocationConflict(ValidationError):
    """Someone else changed the case's allocation first: the user should look again before choosing."""


def _conflict(prisoner: Prisoner, current: PomAllocation | None = None) -> AllocationConflict:
    who = ""
    if current is not None:
        who = f" to {current.pom.user.get_full_name() or current.pom.user.get_username()}"
    return AllocationConflict(
        f"Someone else allocated this case{who} while you were working on it. "
        "Check the case's allocation again before you choose a POM."
    )


def _lock(prisoner: Prisoner) -> Prisoner:
    return Prisoner.objects.select_for_update().get(pk=prisoner.pk)


def _active(prisoner: Prisoner, role: str) -> PomAllocation | None:
    return (
        PomAllocation.objects.select_related("pom__user")
        .filter(prisoner=prisoner, role=role, ended_at__isnull=True)
        .first()
    )


def _snapshot(allocation: PomAllocation) -> dict:
    return {
        "pom": allocation.pom_id,
        "role": allocation.role,
        "ended_at": allocation.ended_at,
        "end_trigger": allocation.end_trigger,
    }


def _emails_after_commit(*emails: tuple[str, int, int]) -> None:
    """Queue each (kind, allocation id, recipient POM id) email once the transaction commits, one task each."""
    from allocation.tasks import pom_email_send
    from omic.queueing import enqueue_after_commit

    for kind, allocation_id, pom_id in emails:
        enqueue_after_commit(pom_email_send, (kind, allocation_id, pom_id))  # broker down: caught up later


def _check_pom(*, prisoner: Prisoner, pom: PomProfile) -> None:
    if pom.prison_id != prisoner.prison_id:
        raise ValidationError("Choose a POM who works in the prison where the prisoner is held")
    if pom.status != PomProfile.Status.ACTIVE:
        raise ValidationError(f"{pom.user.get_full_name()} is not taking new cases ({pom.get_status_display()})")


def override_needed(*, recommended_type: str, pom_type: str) -> bool:
    """An override reason is needed when the chosen type is not the recommended one, or there is none (D-08)."""
    return recommended_type != pom_type


def _check_override(*, needed: bool, reason: str, detail: str) -> None:
    if not needed:
        return
    if reason not in OverrideReason.values:
        raise ValidationError({"override_reason": "Select why you chose a POM of a type that was not recommended"})
    if reason in NEEDS_DETAIL and not detail.strip():
        raise ValidationError({"override_detail": "Give the reason in your own words"})
    if len(detail) > 175:
        raise ValidationError({"override_detail": "The reason must be 175 characters or fewer"})


def _end(allocation: PomAllocation, *, trigger: str, actor, actor_label: str, now: dt.datetime, reason: str = ""):
    before = _snapshot(allocation)
    allocation.ended_at, allocation.ended_by, allocation.end_trigger = now, actor, trigger
    allocation.save(update_fields=["ended_at", "ended_by", "end_trigger"])
    action = "co_worker_removed" if allocation.role == Role.CO_WORKING else "pom_deallocated"
    audit_record(
        action=action,
        obj=allocation,
        before=before,
        after=_snapshot(allocation),
        actor=actor,
        actor_label=actor_label,
        reason=reason or allocation.get_end_trigger_display(),
        prisoner=allocation.prisoner,
    )


def _create(**fields) -> PomAllocation:
    prisoner = fields["prisoner"]
    try:
        with transaction.atomic():
            return PomAllocation.objects.create(**fields)
    except IntegrityError as error:
        raise _conflict(prisoner, _active(prisoner, fields["role"])) from error


@transaction.atomic
def allocate(
    prisoner: Prisoner,
    pom: PomProfile,
    *,
    actor,
    today: dt.date,
    override_reason: str = "",
    override_detail: str = "",
    message: str = "",
    expected_primary=UNCHECKED,
    notify: bool = True,
) -> PomAllocation:
    """Allocate ``pom`` as the case's primary POM, or reallocate: an active primary is ended with ``reallocated``.

    ``expected_primary`` is the primary allocation (or its id, or None for none) the user saw when they chose:
    if another person has changed it since, nothing is saved and ``AllocationConflict`` says so. Choosing a POM
    type that is not the recommended one needs an override reason (D-08). The new POM is emailed the case summary
    and handover dates (and the message) after commit; a POM who lost the case is told too. ``notify=False`` sends
    neither: bulk reallocation sends its two summary emails instead of one per case.
    """
    prisoner = _lock(prisoner)
    current = _active(prisoner, Role.PRIMARY)
    if expected_primary is not UNCHECKED:
        expected_id = getattr(expected_primary, "pk", expected_primary)
        wanted = None if expected_id in (None, "") else positive_id(expected_id)
        if (expected_id not in (None, "") and wanted is None) or (current.pk if current else None) != wanted:
            raise _conflict(prisoner, current)  # a garbled id can match no allocation: treat it as changed
    _check_pom(prisoner=prisoner, pom=pom)
    if current is not None and current.pom_id == pom.pk:
        raise ValidationError(f"{pom.user.get_full_name()} is already this case's POM")
    co_worker = _active(prisoner, Role.CO_WORKING)
    if co_worker is not None and co_worker.pom_id == pom.pk:
        raise ValidationError(f"{pom.user.get_full_name()} is the co-working POM: remove them as co-worker first")
    recommendation = recommendation_for(prisoner=case_for_recommendation(prisoner_number=prisoner.pk))
    needed = override_needed(recommended_type=recommendation.pom_type, pom_type=pom.pom_type)
    _check_override(needed=needed, reason=override_reason, detail=override_detail)
    now = timezone.now()
    emails = []
    if current is not None:
        _end(current, trigger=EndTrigger.REALLOCATED, actor=actor, actor_label="", now=now)
        emails.append(("reallocated_away", current.pk, current.pom_id))
    allocation = _create(
        prisoner=prisoner,
        pom=pom,
        role=Role.PRIMARY,
        allocated_at=now,
        allocated_by=actor,
        recommended_pom_type=recommendation.pom_type,
        override_reason=override_reason if needed else "",
        override_detail=override_detail.strip() if needed else "",
        message=message.strip(),
    )
    audit_record(
        action="pom_reallocated" if current else "pom_allocated",
        obj=allocation,
        before=_snapshot(current) if current else None,
        after={
            "pom": pom.pk,
            "role": Role.PRIMARY,
            "recommended_pom_type": recommendation.pom_type,
            "override_reason": allocation.override_reason,
            "override_detail": allocation.override_detail,
            "tier": recommendation.tier,
        },
        actor=actor,
        reason=allocation.override_detail or allocation.get_override_reason_display() if needed else "",
        prisoner=prisoner,
    )
    emails.append(("allocated", allocation.pk, pom.pk))
    if notify:
        _emails_after_commit(*emails)
    return allocation


@transaction.atomic
def deallocate(allocation: PomAllocation, *, actor=None, trigger: str = EndTrigger.USER, actor_label: str = ""):
    """End one allocation (primary or co-working) with ``trigger``; the POM is emailed after commit."""
    if trigger not in EndTrigger.values:
        raise ValidationError(f"Unknown end trigger {trigger!r}")
    _lock(allocation.prisoner)
    allocation = PomAllocation.objects.select_related("pom__user", "prisoner").get(pk=allocation.pk)
    if not allocation.is_active:
        raise _conflict(allocation.prisoner)
    _end(allocation, trigger=trigger, actor=actor, actor_label=actor_label, now=timezone.now())
    _emails_after_commit(("deallocated", allocation.pk, allocation.pom_id))
    return allocation


@transaction.atomic
def add_co_worker(prisoner: Prisoner, pom: PomProfile, *, actor, message: str = "") -> PomAllocation:
    """Add a co-working POM beside the primary POM; they must differ. Both POMs are emailed after commit."""
    prisoner = _lock(prisoner)
    primary = _active(prisoner, Role.PRIMARY)
    if primary is None:
        raise ValidationError("Allocate a primary POM before adding a co-working POM")
    if primary.pom_id == pom.pk:
        raise ValidationError({"pom": "The co-working POM must be someone other than the primary POM"})
    current = _active(prisoner, Role.CO_WORKING)
    if current is not None:
        raise _conflict(prisoner, current)
    _check_pom(prisoner=prisoner, pom=pom)
    allocation = _create(
        prisoner=prisoner,
        pom=pom,
        role=Role.CO_WORKING,
        allocated_at=timezone.now(),
        allocated_by=actor,
        message=message.strip(),
    )
    audit_record(
        action="co_worker_allocated",
        obj=allocation,
        before=None,
        after={"pom": pom.pk, "role": Role.CO_WORKING, "primary_pom": primary.pom_id},
        actor=actor,
        prisoner=prisoner,
    )
    _emails_after_commit(
        ("co_worker_allocated", allocation.pk, pom.pk), ("co_worker_allocated", allocation.pk, primary.pom_id)
    )
    return allocation


@transaction.atomic
def remove_co_worker(prisoner: Prisoner, *, actor) -> PomAllocation:
    """End the case's co-working allocation (trigger ``user``); the co-worker and the primary POM are emailed."""
    prisoner = _lock(prisoner)
    current = _active(prisoner, Role.CO_WORKING)
    if current is None:
        raise ValidationError("This case has no co-working POM: someone else may have removed them already")
    _end(current, trigger=EndTrigger.USER, actor=actor, actor_label="", now=timezone.now())
    emails = [("co_worker_removed", current.pk, current.pom_id)]
    primary = _active(prisoner, Role.PRIMARY)
    if primary is not None:
        emails.append(("co_worker_removed", current.pk, primary.pom_id))
    _emails_after_commit(*emails)
    return current


@transaction.atomic
def end_allocations_for(prisoner: Prisoner, trigger: str, *, actor=None, actor_label: str = "") -> int:
    """End every active allocation of a case (transfer, release, legal status change, POM inactive); for imports
    and the API. Returns how many were ended; 0 when there were none, so running it twice is harmless."""
    if trigger not in EndTrigger.values:
        raise ValidationError(f"Unknown end trigger {trigger!r}")
    prisoner = _lock(prisoner)
    now = timezone.now()
    active = list(
        PomAllocation.objects.select_related("pom__user", "prisoner").filter(prisoner=prisoner, ended_at__isnull=True)
    )
    for allocation in active:
        _end(allocation, trigger=trigger, actor=actor, actor_label=actor_label, now=now)
    _emails_after_commit(*(("deallocated", a.pk, a.pom_id) for a in active))
    return len(active)


def allocations_end_after_change(*, prison_number: str, trigger: str, actor_label: str = "") -> int:
    """End a case's active allocations after its record changed (``allocation.signals``), if the change still holds
    now: still held in another prison than its POMs' (``transfer``), still released (``release``), still outside the
    legal statuses of OMiC allocation (``legal_status``). Returns how many were ended; running it twice is harmless."""
    prisoner = Prisoner.objects.filter(pk=prison_number).first()
    if prisoner is None:
        return 0
    if trigger == EndTrigger.TRANSFER:
        moved = PomAllocation.objects.filter(prisoner=prisoner, ended_at__isnull=True).exclude(
            pom__prison_id=prisoner.prison_id
        )
        if not moved.exists():
            return 0
    still = {
        EndTrigger.RELEASE: prisoner.legal_status == RELEASED,
        EndTrigger.LEGAL_STATUS: prisoner.legal_status not in OMIC_ALLOCATION_LEGAL_STATUSES,
    }
    if not still.get(trigger, True):
        return 0
    return end_allocations_for(prisoner, trigger, actor_label=actor_label)


def allocations_end_for_transfers(*, actor_label: str = "allocation_end_transfers") -> int:
    """End, with the trigger ``transfer``, every active allocation whose POM works in another prison than the one
    the prisoner is now held in (an import or the API moved them): D-09, a transferred case is allocated afresh.

    Idempotent: a second run finds nothing. Each case is ended in its own transaction, with its own lock.
    Returns how many allocations were ended.
    """
    from django.db.models import F

    numbers = (
        PomAllocation.objects.filter(ended_at__isnull=True)
        .exclude(pom__prison_id=F("prisoner__prison_id"))
        .values_list("prisoner_id", flat=True)
        .distinct()
    )
    ended = 0
    for prisoner in Prisoner.objects.filter(pk__in=list(numbers)):
        ended += end_allocations_for(prisoner, EndTrigger.TRANSFER, actor_label=actor_label)
    return ended
