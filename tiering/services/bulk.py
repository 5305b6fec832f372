"""Recalculate every case's tier (or one prison's) in chunks: bulk reads, bulk writes, and only changed rows.

Per chunk of cases: one read of the inputs, one of the current records and one of the case information; then, only
for the cases whose tier changed, one UPDATE retiring the old records, one INSERT of the new ones, one UPDATE (and an
INSERT where a case had no case information) keeping CaseInformation in step, and one INSERT of audit events.
A recalculation compares and never increments, so running it twice changes nothing the second time.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases.models import AuditEvent, CaseInformation, Prison
from tiering.calculations import InputError
from tiering.models import TierInputs, TierRecord
from tiering.services.outcome import (
    audit_event_build,
    case_information_values,
    hand_entry_stands,
    outcome_for,
    outcome_is_current,
    record_values,
)

CHUNK_SIZE = 2000


def _case_information_bulk_sync(records: list[TierRecord], *, label: str) -> list:
    """Bring CaseInformation in step with the new current records; return the audit events for what changed."""
    by_prisoner = {r.prisoner_id: r for r in records}
    stored = {c.prisoner_id: c for c in CaseInformation.objects.filter(prisoner_id__in=by_prisoner)}
    to_update, to_create, audits = [], [], []
    for prisoner_id, record in by_prisoner.items():
        wanted = case_information_values(record)
        case = stored.get(prisoner_id)
        if case is None:
            if record.tier:
                to_create.append((CaseInformation(prisoner_id=prisoner_id, **wanted), wanted))
            continue
        before = {name: getattr(case, name) for name in wanted}
        if before != wanted:
            for name, value in wanted.items():
                setattr(case, name, value)
            to_update.append(case)
            audits.append(
                audit_event_build(
                    action="updated",
                    obj=case,
                    prison_number=prisoner_id,
                    before=before,
                    after=wanted,
                    actor_label=label,
                )
            )
    if to_update:
        # One UPDATE per distinct (tier, source, date): a handful per chunk, much cheaper than bulk_update's CASE.
        groups: dict[tuple, list[int]] = {}
        for case in to_update:
            groups.setdefault((case.tier, case.tier_source, case.tier_date), []).append(case.pk)
        now = timezone.now()
        for (tier, source, date), pks in groups.items():
            CaseInformation.objects.filter(pk__in=pks).update(
                tier=tier, tier_source=source, tier_date=date, updated_at=now
            )
    if to_create:
        created = CaseInformation.objects.bulk_create([case for case, _ in to_create])
        for case, (_, wanted) in zip(created, to_create, strict=True):
            audits.append(
                audit_event_build(
                    action="created",
                    obj=case,
                    prison_number=case.prisoner_id,
                    before=None,
                    after=wanted,
                    actor_label=label,
                )
            )
    return audits


def _chunk(rows: list[TierInputs], *, today: dt.date, label: str, counts: dict) -> None:
    ids = [row.prisoner_id for row in rows]
    current = {r.prisoner_id: r for r in TierRecord.objects.filter(prisoner_id__in=ids, current=True)}
    now = timezone.now()
    retire, new = [], []
    for row in rows:
        record = current.get(row.prisoner_id)
        if hand_entry_stands(record, row.updated_at):
            counts["kept_by_hand"] += 1
            continue
        try:
            outcome = outcome_for(model=row.model, inputs=row.inputs, today=today)
        except InputError:
            counts["failed"] += 1
            continue
        if outcome_is_current(outcome, record):
            counts["unchanged"] += 1
            continue
        if record is not None:
            retire.append(record)
        new.append(
            TierRecord(
                prisoner_id=row.prisoner_id,
                tier=outcome.tier,
                score=outcome.score,
                model=outcome.model,
                provisional=outcome.provisional,
                source=TierRecord.Source.CALCULATED,
                inputs=outcome.inputs,
                breakdown=outcome.breakdown,
                calculated_on=today,
                recorded_at=now,
                recorded_by_label=label,
            )
        )
    if not new:
        return
    with transaction.atomic():
        if retire:
            TierRecord.objects.filter(pk__in=[r.pk for r in retire]).update(current=False)
        created = TierRecord.objects.bulk_create(new)
        old = {r.prisoner_id: r for r in retire}
        audits = [
            audit_event_build(
                action="tier_calculated",
                obj=record,
                prison_number=record.prisoner_id,
                before=record_values(old.get(record.prisoner_id)),
                after=record_values(record),
                actor_label=label,
            )
            for record in created
        ]
        audits += _case_information_bulk_sync(created, label=label)
        AuditEvent.objects.bulk_create(audits)
    counts["changed"] += len(new)


def tier_recalculate_all(
    prison: Prison | None = None,
    *,
    today: dt.date | None = None,
    actor_label: str = "tier_recalculate_all",
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recalculate the tier of every case with inputs (in one prison, or everywhere), writing only what changed.

    Returns the counts: checked, changed, unchanged, kept_by_hand (a hand-entered tier newer than the inputs) and
    failed (stored inputs that no longer fit their model). ``progress(n)`` is called with each chunk's size.
    """
    today = today or timezone.localdate()
    counts = {"checked": 0, "changed": 0, "unchanged": 0, "kept_by_hand": 0, "failed": 0}
    base = TierInputs.objects.order_by("prisoner_id")
    if prison is not None:
        base = base.filter(prisoner__prison=prison)
    last = None
    while True:
        page = base if last is None else base.filter(prisoner_id__gt=last)
        rows = list(page[:chunk_size])
        if not rows:
            break
        _chunk(rows, today=today, label=actor_label, counts=counts)
        counts["checked"] += len(rows)
        last = rows[-1].prisoner_id
        if progress is not None:
            progress(len(rows))
    return counts
