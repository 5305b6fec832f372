"""What each inbound domain event does. Each handler runs inside ``event_services.event_process``'s transaction,
calls the services that own the data (never re-implements them) and returns a few words saying what it did; an
exception fails the event (it is retried, then parked).

- ``prisoner.received`` / ``prisoner.transferred``: the prison the person is held in (and the arrival date). A move
  to another prison ends the POM allocations (``allocation.signals``, trigger transfer) and the key work allocation
  (transferred).
- ``prisoner.released``: there is no "released" legal status in the records, so the release is recorded as a
  ``Release`` row, and the POM allocations (trigger release) and key work allocation (released) are ended.
- ``prisoner.sentence.changed``: the sentence sent with it (if any) is stored; the handover is recalculated,
  debounced per prisoner (``handover.signals.recalculation_queue``).
- ``probation.com.allocated``: the COM (and delivery unit) of the case.
- ``probation.tier.changed``: the tier inputs; the tier is recalculated from them.
- ``parole.outcome``: the parole review and its outcome (``casework.parole_services.parole_review_upsert``).
- ``prisoner.merged``: recorded as a ``PrisonerMerge`` for a person to review; nothing is moved automatically.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from allocation.services import end_allocations_for
from cases.audit import audit_record
from cases.models import PomAllocation, Prisoner, Sentence
from cases.services import prisoner_upsert
from handover.signals import recalculation_queue
from integration.ingest_services import PrisonerNotFound, prisoner_find
from integration.models import EventType, InboundEvent, PrisonerMerge, Release
from integration.payloads import SENTENCE_FIELDS, additional_information, complete
from keywork.models import DeallocationReason
from keywork.selectors import allocation_active_for_prisoner
from keywork.services import allocation_end
from tiering.services import tier_inputs_update


def _label(event: InboundEvent) -> str:
    return f"event {event.event_type} from {event.received_from}"[:150]


def _prisoner(event: InboundEvent) -> Prisoner:
    prisoner = prisoner_find(prison_number=event.prison_number)
    if prisoner is None:
        raise PrisonerNotFound(f"Prisoner {event.prison_number} is not known here: PUT the prisoner first")
    return prisoner


def _event_day(event: InboundEvent) -> dt.date:
    return timezone.localdate(event.occurred_at)


def _key_work_end(prisoner: Prisoner, reason: str, detail: str) -> int:
    if allocation_active_for_prisoner(prisoner=prisoner) is None:
        return 0
    allocation_end(prisoner=prisoner, reason=reason, detail=detail, actor=None)
    return 1


def _arrival(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    prisoner = _prisoner(event)
    moved = prisoner.prison_id != info["prison"].pk
    values = {"prison_number": prisoner.pk, "prison": info["prison"]}
    if moved or info.get("arrival_date"):
        values["prison_arrival_date"] = info.get("arrival_date") or _event_day(event)
    outcome = prisoner_upsert(
        data={"prisoner": values, "sentence": None, "case_information": None, "com": None},
        actor_label=_label(event),
        reason=EventType(event.event_type).label,
    )
    ended = _key_work_end(prisoner, DeallocationReason.TRANSFERRED, f"Moved to {info['prison'].pk}") if moved else 0
    # The POM allocations end after the commit (allocation.signals watches the prison), with the trigger transfer.
    return f"prisoner {outcome}; key work ended: {ended}" if moved else f"prisoner {outcome}"


def _released(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    prisoner = _prisoner(event)
    released_on = info.get("released_on") or _event_day(event)
    release, created = Release.objects.get_or_create(
        prisoner=prisoner,
        released_on=released_on,
        defaults={
            "prison_id": prisoner.prison_id,
            "reason": info["reason"],
            "event": event,
            "recorded_at": timezone.now(),
        },
    )
    if created:
        audit_record(
            action="prisoner_released",
            obj=release,
            before=None,
            after={"released_on": released_on, "prison": prisoner.prison_id, "reason": info["reason"]},
            actor_label=_label(event),
            reason="Released",
            prisoner=prisoner,
        )
    label = _label(event)
    ended = end_allocations_for(prisoner, PomAllocation.EndTrigger.RELEASE, actor_label=label)
    key_work = _key_work_end(prisoner, DeallocationReason.RELEASED, "Released")
    return (
        f"release {'recorded' if created else 'already recorded'}; POM allocations ended: {ended}; key work: {key_work}"
    )


def _sentence_changed(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    prisoner = _prisoner(event)
    outcome = "not sent"
    if info.get("sentence"):
        outcome = prisoner_upsert(
            data={
                "prisoner": {"prison_number": prisoner.pk},
                "sentence": complete(Sentence, SENTENCE_FIELDS, info["sentence"]),
                "case_information": None,
                "com": None,
            },
            actor_label=_label(event),
            reason="Sentence changed",
        )
    # Debounced per prisoner: one queued recalculation however many changes and events arrive before it starts.
    transaction.on_commit(lambda: recalculation_queue(prisoner.pk, "sentence changed event"), robust=True)
    return f"sentence {outcome}; recalculation queued"


def _com_allocated(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    prisoner = _prisoner(event)
    case = {"local_delivery_unit": info["local_delivery_unit"]} if "local_delivery_unit" in info else {}
    com = info["com"]
    outcome = prisoner_upsert(
        data={
            "prisoner": {"prison_number": prisoner.pk},
            "sentence": None,
            "case_information": case,
            "com": {"email": com["email"].lower(), "name": com.get("name", "")},
        },
        actor_label=_label(event),
        reason="COM allocated",
    )
    return f"case information {outcome}"


def _tier_changed(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    prisoner = _prisoner(event)
    record = tier_inputs_update(
        prisoner, info["tier_inputs"], "probation", today=today, actor_label=_label(event), model=info.get("tier_model")
    )
    return f"tier {record.score if record else 'none'}"


def _parole_outcome(event: InboundEvent, *, today: dt.date) -> str:
    from casework.parole_services import parole_review_upsert  # helper B's service; late: casework may still change

    info = additional_information(event.event_type, event.payload)
    _prisoner(event)
    review = parole_review_upsert(
        prison_number=event.prison_number, data=dict(info), actor_label=_label(event), today=today
    )
    return f"parole review {review.pk} stored"


def _merged(event: InboundEvent, *, today: dt.date) -> str:
    info = additional_information(event.event_type, event.payload)
    removed = info["removed_prison_number"]
    if removed == event.prison_number:
        raise ValueError("removedPrisonNumber must differ from the event's prison number")
    merge, created = PrisonerMerge.objects.get_or_create(
        removed_prison_number=removed,
        prison_number=event.prison_number,
        defaults={"event": event, "recorded_at": timezone.now()},
    )
    return f"merge {'recorded' if created else 'already recorded'}: review it on the integration page"


HANDLERS = {
    EventType.PRISONER_RECEIVED: _arrival,
    EventType.PRISONER_TRANSFERRED: _arrival,
    EventType.PRISONER_RELEASED: _released,
    EventType.SENTENCE_CHANGED: _sentence_changed,
    EventType.COM_ALLOCATED: _com_allocated,
    EventType.TIER_CHANGED: _tier_changed,
    EventType.PAROLE_OUTCOME: _parole_outcome,
    EventType.PRISONER_MERGED: _merged,
}


def event_handle(event: InboundEvent, *, today: dt.date) -> str:
    return HANDLERS[EventType(event.event_type)](event, today=today)
