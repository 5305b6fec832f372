"""Recalculate every case's tier (or one prison's) in chunks: bulk reads, bulk writes, and only changed rows.

Per chunk of cases (by prison number): one read of the inputs and one of the current records, as plain values (no
model instances); then, only for the cases whose tier changed, one UPDATE retiring the old records, one INSERT of the
new ones (COPY on PostgreSQL), one read of their ids, one INSERT of their audit events, and cases.services
``case_tiers_set`` keeping CaseInformation in step (one read, an UPDATE per distinct tier, INSERTs of new rows and
audit events). A recalculation compares and never increments, so running it twice changes nothing the second time.
"""

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from cases.bulk import insert_rows
from cases.models import AuditEvent, Prison
from cases.services import case_tiers_set
from tiering.calculations import InputError
from tiering.models import TierInputs, TierRecord
from tiering.services.outcome import (
    case_tier,
    hand_entry_stands,
    outcome_for,
    outcome_is_current,
    record_values,
)

CHUNK_SIZE = 2000
_CALCULATED = TierRecord.Source.CALCULATED.value
_RECORD_LABEL = TierRecord._meta.label


class CurrentRecord(NamedTuple):
    """The columns of a current tier record the comparison needs, read without building a model instance."""

    pk: int
    tier: str
    score: str
    model: str
    provisional: bool
    source: str
    breakdown: list
    inputs: dict | None
    recorded_at: dt.datetime


def _audit_row(*, record: dict, record_id: int, before: dict | None, label: str, now: dt.datetime) -> dict:
    """The audit event cases.audit.audit_record would write for a new record, as a row for a bulk INSERT."""
    number = record["prisoner_id"]
    after = {"tier": record["tier"], "score": record["score"], "model": record["model"]}
    after |= {"provisional": record["provisional"], "source": record["source"]}
    return {
        "created_at": now,
        "actor_id": None,
        "actor_label": label,
        "action": "tier_calculated",
        "prisoner_id": number,
        "prison_number": number,
        "object_type": _RECORD_LABEL,
        "object_id": str(record_id),
        "before": before,
        "after": after,
        "reason": "",
    }


def _write(new: list[dict], retire: dict[str, CurrentRecord], *, label: str, now: dt.datetime) -> None:
    """Retire the replaced records, insert the new ones with their audit events, and bring CaseInformation in step."""
    with transaction.atomic():
        if retire:
            TierRecord.objects.filter(pk__in=[r.pk for r in retire.values()]).update(current=False)
        insert_rows(TierRecord, new)
        ids = dict(
            TierRecord.objects.filter(prisoner_id__in=[r["prisoner_id"] for r in new], current=True).values_list(
                "prisoner_id", "pk"
            )
        )
        audits = [
            _audit_row(
                record=row,
                record_id=ids[row["prisoner_id"]],
                before=record_values(retire.get(row["prisoner_id"])),
                label=label,
                now=now,
            )
            for row in new
        ]
        insert_rows(AuditEvent, audits)
        tiers = {row["prisoner_id"]: case_tier(row["tier"], row["source"], row["calculated_on"]) for row in new}
        case_tiers_set(tiers=tiers, actor_label=label)


def _chunk(rows: list[tuple], *, today: dt.date, label: str, counts: dict) -> None:
    ids = [row[0] for row in rows]
    current = {
        row[0]: CurrentRecord(*row[1:])
        for row in TierRecord.objects.filter(prisoner_id__in=ids, current=True).values_list(
            "prisoner_id", "pk", *CurrentRecord._fields[1:]
        )
    }
    now = timezone.now()
    retire, new = {}, []
    for prisoner_id, model, inputs, updated_at in rows:
        record = current.get(prisoner_id)
        if hand_entry_stands(record, updated_at):
            counts["kept_by_hand"] += 1
            continue
        try:
            outcome = outcome_for(model=model, inputs=inputs, today=today)
        except InputError:
            counts["failed"] += 1
            continue
        if outcome_is_current(outcome, record):
            counts["unchanged"] += 1
            continue
        if record is not None:
            retire[prisoner_id] = record
        new.append(
            {
                "prisoner_id": prisoner_id,
                "current": True,
                "tier": outcome.tier,
                "score": outcome.score,
                "model": outcome.model,
                "provisional": outcome.provisional,
                "source": _CALCULATED,
                "reason": "",
                "inputs": outcome.inputs,
                "breakdown": outcome.breakdown,
                "calculated_on": today,
                "recorded_at": now,
                "recorded_by_id": None,
                "recorded_by_label": label,
            }
        )
    if new:
        _write(new, retire, label=label, now=now)
    counts["changed"] += len(new)


def tier_recalculate_all(
    prison: Prison | None = None,
    *,
    today: dt.date,
    actor_label: str = "tier_recalculate_all",
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Recalculate the tier of every case with inputs (in one prison, or everywhere), writing only what changed.

    Returns the counts: checked, changed, unchanged, kept_by_hand (a hand-entered tier newer than the inputs) and
    failed (stored inputs that no longer fit their model). ``progress(n)`` is called with each chunk's size.
    """
    counts = {"checked": 0, "changed": 0, "unchanged": 0, "kept_by_hand": 0, "failed": 0}
    base = TierInputs.objects.order_by("prisoner_id")
    if prison is not None:
        base = base.filter(prisoner__prison=prison)
    base = base.values_list("prisoner_id", "model", "inputs", "updated_at")
    last = None
    while True:
        page = base if last is None else base.filter(prisoner_id__gt=last)
        rows = list(page[:chunk_size])
        if not rows:
            break
        _chunk(rows, today=today, label=actor_label, counts=counts)
        counts["checked"] += len(rows)
        last = rows[-1][0]
        if progress is not None:
            progress(len(rows))
    return counts
