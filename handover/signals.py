"""On-change recalculation: after the commit of a relevant change, queue a recalculation of that prisoner.

Watched: a sentence, a case information row, or a prisoner (a prison move or anything else the engine reads).
Each watched instance remembers the watched values it was loaded with (``post_init``); a save that changes none of
them queues nothing. A change queues ``handover.recalculate`` once the transaction commits (never on a rollback).
While one is queued and not yet started, further changes to the same prisoner do not queue another (a cache flag the
task clears when it starts, so a change made after it has read the data still queues a fresh one). The task is
idempotent: it saves only when the result or its inputs changed.
"""

import logging
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_init, post_save

from cases.models import CaseInformation, Prisoner, Sentence

logger = logging.getLogger(__name__)

QUEUED_KEY = "handover:recalculation-queued:{}"
QUEUED_SECONDS = 10 * 60
_MISSING = object()

WATCHED = {
    Prisoner: (
        "prison_id",
        "date_of_birth",
        "legal_status",
        "imprisonment_status",
        "prison_arrival_date",
        "security_category",
        "category_approved_date",
    ),
    Sentence: tuple(
        f.attname for f in Sentence._meta.concrete_fields if f.attname not in ("id", "prisoner_id", "updated_at")
    ),
    CaseInformation: ("mappa_level", "enhanced_resourcing", "local_delivery_unit_id", "com_id"),
}
TRIGGERS = {Prisoner: "prisoner", Sentence: "sentence", CaseInformation: "case information"}


def _snapshot(instance) -> tuple:
    # __dict__, not getattr: reading a deferred field here would cost a query for every instance loaded.
    return tuple(instance.__dict__.get(name, _MISSING) for name in WATCHED[type(instance)])


def remember(sender, instance, **kwargs) -> None:
    instance._handover_snapshot = _snapshot(instance)


def changed(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    now = _snapshot(instance)
    if not created and getattr(instance, "_handover_snapshot", None) == now:
        return
    instance._handover_snapshot = now
    number = instance.pk if sender is Prisoner else instance.prisoner_id
    transaction.on_commit(partial(recalculation_queue, number, TRIGGERS[sender]), robust=True)


def recalculation_queue(prison_number: str, trigger: str) -> None:
    """Queue the recalculation unless one is already queued and not yet started."""
    from handover.tasks import handover_recalculate

    key = QUEUED_KEY.format(prison_number)
    if cache.add(key, 1, timeout=QUEUED_SECONDS):
        try:
            handover_recalculate.delay(prison_number, trigger)
        except Exception:
            cache.delete(key)  # not queued after all: the next change must queue it
            raise


def queued_clear(prison_number: str) -> None:
    cache.delete(QUEUED_KEY.format(prison_number))


def connect() -> None:
    for model in WATCHED:
        post_init.connect(remember, sender=model, dispatch_uid=f"handover-remember-{model.__name__}")
        post_save.connect(changed, sender=model, dispatch_uid=f"handover-changed-{model.__name__}")
