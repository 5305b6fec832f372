"""Inbound domain events: receive (store once per event id, then queue), process (one handler, in a transaction),
retry with backoff, park when the retries are used up, and let a service admin retry a parked event.

Never lost: an event is stored before it is acknowledged (202), and the periodic ``integration.requeue_due`` job
queues again every event still waiting or due for a retry, should its queued job have been lost.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.audit import audit_record
from integration.calculations import backoff_seconds
from integration.event_handlers import event_handle
from integration.models import EventStatus, InboundEvent

logger = logging.getLogger(__name__)

PROCESSED, RETRY, PARKED, SKIPPED = "processed", "retry", "parked", "skipped"
# A received event with no result after this long is queued again by the periodic job (its job was lost).
STALE_AFTER = dt.timedelta(minutes=5)


def max_attempts() -> int:
    return getattr(settings, "INTEGRATION_MAX_ATTEMPTS", 6)


def retry_base_seconds() -> int:
    return getattr(settings, "INTEGRATION_RETRY_BASE_SECONDS", 60)


class EventConflict(Exception):
    """An event with this id is already stored with other content."""


def _queue(event_pk: int) -> None:
    from integration.tasks import event_process
    from omic.queueing import enqueue

    enqueue(event_process, (event_pk,), catch_up=False)  # the stored event is the outbox: integration_requeue


def event_receive(
    *,
    event_id: str,
    event_type: str,
    prison_number: str,
    occurred_at: dt.datetime,
    payload: dict,
    received_from: str,
    client_pk: int = 0,
) -> tuple[InboundEvent, bool]:
    """Store an event and queue it after the commit; (event, True). The same id again from the same client
    (``client_pk``; 0 for none) stores nothing and returns the stored event with False; the same id with another
    type, prisoner or content raises EventConflict. Another client's event with the same id is no concern of this
    one: ids are unique per client."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = InboundEvent.objects.create(
                    event_id=event_id,
                    client_pk=client_pk,
                    event_type=event_type,
                    prison_number=prison_number,
                    occurred_at=occurred_at,
                    payload=payload,
                    received_at=timezone.now(),
                    received_from=received_from[:150],
                )
        except IntegrityError:
            stored = InboundEvent.objects.filter(client_pk=client_pk, event_id=event_id).first()
            if stored is None:  # refused for another reason: not a duplicate
                raise
            if (stored.event_type, stored.prison_number, stored.payload) != (event_type, prison_number, payload):
                raise EventConflict(event_id) from None
            return stored, False
        transaction.on_commit(lambda: _queue(event.pk), robust=True)
    return event, True


@dataclass(frozen=True)
class Processing:
    outcome: str  # processed, retry, parked, skipped
    retry_in: int | None = None


def event_process(*, event_pk: int, today: dt.date, now: dt.datetime) -> Processing:
    """Process one stored event, once. A failure counts an attempt: retried after a growing wait, parked after the
    last. A processed or parked event, or a failed one not yet due, is skipped (a duplicate job is harmless)."""
    with transaction.atomic():
        event = InboundEvent.objects.select_for_update().filter(pk=event_pk).first()
        if event is None or event.status in (EventStatus.PROCESSED, EventStatus.PARKED):
            return Processing(SKIPPED)
        if event.status == EventStatus.FAILED and event.next_attempt_at and event.next_attempt_at > now:
            return Processing(SKIPPED)
        event.attempts += 1
        try:
            with transaction.atomic():
                outcome = event_handle(event, today=today)
        except Exception as error:
            logger.warning("Event %s (%s) failed, attempt %s", event.event_id, event.event_type, event.attempts)
            event.last_error = f"{type(error).__name__}: {error}"[:2000]
            if event.attempts >= max_attempts():
                event.status, event.next_attempt_at = EventStatus.PARKED, None
                event.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                return Processing(PARKED)
            wait = backoff_seconds(event.attempts, base=retry_base_seconds())
            event.status, event.next_attempt_at = EventStatus.FAILED, now + dt.timedelta(seconds=wait)
            event.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return Processing(RETRY, retry_in=wait)
        event.status, event.processed_at, event.next_attempt_at = EventStatus.PROCESSED, now, None
        event.outcome, event.last_error = outcome[:200], ""
        event.save(update_fields=["attempts", "status", "processed_at", "next_attempt_at", "outcome", "last_error"])
    return Processing(PROCESSED)


@transaction.atomic
def event_retry(*, event: InboundEvent, actor) -> InboundEvent:
    """A person retries a failed or parked event now: its attempts start again; queued after the commit."""
    event = InboundEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in (EventStatus.FAILED, EventStatus.PARKED):
        return event
    before = {"status": event.status, "attempts": event.attempts, "last_error": event.last_error}
    event.status, event.attempts, event.next_attempt_at = EventStatus.RECEIVED, 0, None
    event.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        action="inbound_event_retried",
        obj=event,
        before=before,
        after={"status": event.status, "attempts": 0},
        actor=actor,
        reason=f"Retry of {event.event_type} {event.event_id}",
    )
    transaction.on_commit(lambda: _queue(event.pk), robust=True)
    return event


def events_requeue_due(*, now: dt.datetime) -> int:
    """Queue every event overdue for its retry, and every received event left waiting, by more than STALE_AFTER
    (its queued job was lost, or the broker runs without delays)."""
    due = InboundEvent.objects.filter(
        Q(status=EventStatus.FAILED, next_attempt_at__lte=now - STALE_AFTER)
        | Q(status=EventStatus.RECEIVED, received_at__lte=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    numbers = list(due[:1000])
    for pk in numbers:
        _queue(pk)
    return len(numbers)
