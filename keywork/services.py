"""Key work writes: the prison's standard, key worker profiles, allocation and auto-allocation. Each records an
audit event. The daily jobs (return from leave, KPI snapshots) are in ``keywork.jobs``."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import Prison, Prisoner
from keywork.models import (
    AllocationType,
    DeallocationReason,
    KeyworkAllocation,
    KeyworkConfiguration,
    KeyWorkerProfile,
    KeyWorkerStatus,
)
from keywork.selectors import (
    HIGH_COMPLEXITY,
    configuration_for_prison,
    exclusion_for_prisoner,
    key_worker_list_for_prison,
)

CONFIG_FIELDS = (
    "is_enabled",
    "allow_auto_allocation",
    "frequency_weeks",
    "session_minutes",
    "target_caseload",
    "maximum_caseload",
    "fortnightly_approval",
)
PROFILE_FIELDS = ("status", "return_date", "capacity", "allow_auto_allocation")


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def configuration_update(*, prison: Prison, values: dict, actor) -> KeyworkConfiguration:
    """Save the prison's key work standard (D-14) and record what changed."""
    config = configuration_for_prison(prison=prison)
    is_new = config._state.adding
    before = None if is_new else _snapshot(config, CONFIG_FIELDS)
    for name in CONFIG_FIELDS:
        if name in values:
            setattr(config, name, values[name])
    config.updated_by = actor
    config.full_clean(exclude=["prison"])
    config.save()
    after = _snapshot(config, CONFIG_FIELDS)
    audit_record(
        action="keywork_configuration_created" if is_new else "keywork_configuration_updated",
        obj=config,
        before=before,
        after=after if is_new else {k: v for k, v in after.items() if before[k] != v},
        actor=actor,
    )
    return config


def _profile_for(*, prison: Prison, user) -> KeyWorkerProfile:
    profile, _ = KeyWorkerProfile.objects.get_or_create(user=user, prison=prison)
    return profile


@transaction.atomic
def key_worker_profile_update(
    *, prison: Prison, user, values: dict, actor, deallocate: bool = False, reason: str = ""
) -> tuple[KeyWorkerProfile, int]:
    """Change a key worker's status, return date, capacity and auto-allocation opt-in.

    A return date is kept only with annual leave. With ``deallocate`` (asked for after a confirmation page when the
    key worker is made inactive or unavailable), their prisoners are deallocated. Returns the profile and the number
    of prisoners deallocated.
    """
    profile = _profile_for(prison=prison, user=user)
    before = _snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(profile, name, values[name])
    if profile.status != KeyWorkerStatus.ANNUAL_LEAVE:
        profile.return_date = None
    profile.full_clean(exclude=["user", "prison"])
    profile.save()
    after = _snapshot(profile, PROFILE_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        audit_record(
            action="key_worker_profile_updated",
            obj=profile,
            before={k: before[k] for k in changed},
            after=changed,
            actor=actor,
            reason=reason,
        )
    removed = 0
    if deallocate:
        for allocation in KeyworkAllocation.objects.filter(key_worker=profile, ended_at__isnull=True).select_related(
            "prisoner"
        ):
            _end(allocation, reason=DeallocationReason.KEY_WORKER_INACTIVE, detail="", actor=actor)
            removed += 1
    return profile, removed


def _end(allocation: KeyworkAllocation, *, reason: str, detail: str, actor, now: dt.datetime | None = None) -> None:
    allocation.ended_at = now or timezone.now()
    allocation.ended_by = actor if actor is not None and actor.is_authenticated else None
    allocation.deallocation_reason = reason
    allocation.deallocation_detail = detail
    allocation.save(update_fields=["ended_at", "ended_by", "deallocation_reason", "deallocation_detail"])
    audit_record(
        action="key_worker_deallocated",
        obj=allocation,
        before={"key_worker": allocation.key_worker.name},
        after={"key_worker": None, "reason": allocation.get_deallocation_reason_display()},
        actor=actor,
        reason=detail,
        prisoner=allocation.prisoner,
    )


def _check_key_worker(*, prison: Prison, user_id: int):
    row = next((r for r in key_worker_list_for_prison(prison=prison) if r.id == user_id), None)
    if row is None:
        raise ValidationError({"key_worker": "Choose a key worker who works at this prison"})
    if not row.is_active:
        raise ValidationError({"key_worker": f"{row.name} is not active ({row.status_label.lower()})"})
    return row


@transaction.atomic
def allocation_create(*, prison: Prison, prisoner: Prisoner, key_worker_id: int, actor) -> KeyworkAllocation:
    """Allocate a key worker to a prisoner by hand (reference 1.4): the prisoner must be here and eligible and the
    key worker active. The same key worker again changes nothing; another key worker replaces the current one
    (ended with "staff change")."""
    if prisoner.prison_id != prison.pk:
        raise ValidationError({"key_worker": "This prisoner is not held at this prison"})
    exclusion = exclusion_for_prisoner(prisoner=prisoner, config=configuration_for_prison(prison=prison))
    if exclusion:
        raise ValidationError({"key_worker": exclusion})
    row = _check_key_worker(prison=prison, user_id=key_worker_id)
    current = KeyworkAllocation.objects.select_for_update().filter(prisoner=prisoner, ended_at__isnull=True).first()
    if current is not None and current.key_worker.user_id == key_worker_id:
        return current
    if current is not None:
        _end(current, reason=DeallocationReason.STAFF_CHANGE, detail="Allocated to another key worker", actor=actor)
    allocation = KeyworkAllocation.objects.create(
        prisoner=prisoner,
        prison=prison,
        key_worker=_profile_for(prison=prison, user=row.user),
        allocation_type=AllocationType.MANUAL,
        allocated_at=timezone.now(),
        allocated_by=actor,
    )
    audit_record(
        action="key_worker_allocated",
        obj=allocation,
        before={"key_worker": current.key_worker.name} if current else None,
        after={"key_worker": row.name, "type": "manual"},
        actor=actor,
        prisoner=prisoner,
    )
    return allocation


@transaction.atomic
def allocation_end(*, prisoner: Prisoner, reason: str, detail: str, actor) -> KeyworkAllocation:
    """Deallocate the prisoner's key worker with a reason (and the detail, which "other" needs)."""
    if reason not in DeallocationReason.values:
        raise ValidationError({"reason": "Choose a reason"})
    if reason == DeallocationReason.OTHER and not detail.strip():
        raise ValidationError({"detail": "Say why the key worker is being deallocated"})
    current = (
        KeyworkAllocation.objects.select_for_update()
        .select_related("key_worker__user")
        .filter(prisoner=prisoner, ended_at__isnull=True)
        .first()
    )
    if current is None:
        raise ValidationError({"reason": "This prisoner has no key worker to deallocate"})
    _end(current, reason=reason, detail=detail.strip(), actor=actor)
    return current


class StaleProposal(Exception):
    """The prison changed since the proposal was made: nothing was saved; make a fresh proposal."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ConfirmedAllocations:
    count: int


@transaction.atomic
def auto_allocation_confirm(
    *, prison: Prison, placements: list[tuple[str, int]], actor, now: dt.datetime | None = None
) -> ConfirmedAllocations:
    """Save a confirmed auto-allocation proposal (D-16) all at once, or nothing.

    ``placements`` are (prison number, key worker user id) pairs from the proposal page. Each is checked again
    against the prison as it is now: auto-allocation still allowed, the prisoner still here, eligible and without a
    key worker, the key worker still active, taking auto-allocation and within their maximum. If anything changed,
    StaleProposal lists it and nothing is saved.
    """
    now = now or timezone.now()
    # Two confirmations at once at one prison queue here, before any caseload is counted, so both cannot fill the
    # same key worker past their maximum (D-14).
    Prison.objects.select_for_update().filter(pk=prison.pk).exists()
    config = configuration_for_prison(prison=prison)
    problems = []
    if not (config.is_enabled and config.allow_auto_allocation):
        raise StaleProposal(["Auto-allocation is not allowed at this prison"])
    rows = {row.id: row for row in key_worker_list_for_prison(prison=prison, config=config)}
    numbers = [number for number, _ in placements]
    prisoners = {
        p.pk: p
        for p in Prisoner.objects.filter(prison=prison, prison_number__in=numbers)
        .exclude(HIGH_COMPLEXITY)
        .select_related("case_information")
    }
    allocated = set(
        KeyworkAllocation.objects.filter(prisoner__in=numbers, ended_at__isnull=True).values_list("prisoner", flat=True)
    )
    counts = {user_id: row.allocated for user_id, row in rows.items()}
    if len(set(numbers)) != len(numbers):
        problems.append("A prisoner appears more than once in the proposal")
    for number, user_id in placements:
        row = rows.get(user_id)
        if number not in prisoners:
            problems.append(f"{number} is no longer held here or is no longer eligible")
        elif number in allocated:
            problems.append(f"{number} has been allocated a key worker since the proposal")
        if row is None or not row.is_active or not row.allow_auto_allocation:
            problems.append(f"Key worker {row.name if row else user_id} can no longer take auto-allocation")
            continue
        counts[user_id] += 1
        if counts[user_id] > row.maximum:
            problems.append(f"{row.name} would go over their maximum caseload of {row.maximum}")
    if problems:
        raise StaleProposal(sorted(set(problems)))
    profiles = {user_id: _profile_for(prison=prison, user=rows[user_id].user) for user_id in {u for _, u in placements}}
    try:
        with transaction.atomic():
            created = KeyworkAllocation.objects.bulk_create(
                [
                    KeyworkAllocation(
                        prisoner_id=number,
                        prison=prison,
                        key_worker=profiles[user_id],
                        allocation_type=AllocationType.AUTO,
                        allocated_at=now,
                        allocated_by=actor,
                        auto_allocated_at=now,
                    )
                    for number, user_id in placements
                ]
            )
    except IntegrityError as error:
        raise StaleProposal(["Another person allocated some of these prisoners at the same time"]) from error
    for (number, user_id), allocation in zip(placements, created, strict=True):
        if allocation.pk is None:  # some databases do not return keys from bulk_create
            allocation = KeyworkAllocation.objects.get(prisoner_id=number, ended_at__isnull=True)
        audit_record(
            action="key_worker_allocated",
            obj=allocation,
            before=None,
            after={"key_worker": rows[user_id].name, "type": "auto"},
            actor=actor,
            prisoner=prisoners[number],
        )
    return ConfirmedAllocations(count=len(placements))
