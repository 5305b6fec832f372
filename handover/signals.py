"""On-change recalculation: after the commit of a relevant change, queue a recalculation of that prisoner.

Watched: a sentence, a case information row, or a prisoner (a prison move or anything else the engine reads); and any
save or delete of a parole review or an early allocation assessment (they feed the target hearing date, the latest
parole outcome and early allocation).
Each watched instance remembers the watched values it was loaded with (``post_init``); a save that changes none of
them queues nothing. A change queues ``handover.recalculate`` once the transaction commits (never on a rollback).
While one is queued and not yet started, further changes to the same prisoner do not queue another (a cache flag the
task clears when it starts, so a change made after it has read the data still queues a fresh one). The task is
idempotent: it saves only when the result or its inputs changed.
"""

import logging
from functools import partial, update_wrapper

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal

from cases.models import CaseInformation, EarlyAllocation, ParoleReview, Prisoner, Sentence
from handover.facts import CASE_FIELDS, PRISONER_FIELDS, SENTENCE_FIELDS

logger = logging.getLogger(__name__)

# Sent inside the transaction that stores new handover dates (a recalculation or the sweep), so a listener's writes
# (integration's webhook outbox) commit or roll back with them. ``changes``: a list of dicts, one per case whose
# handover start date or handover date changed: prison_number, handover_start_date, handover_date, responsibility,
# and before (the previous start and handover dates, None for a first calculation). The engine never imports its
# listeners.
handover_changed = Signal()
DATE_FIELDS = ("handover_start_date", "handover_date")


def handover_dates_change(prison_number: str, before: dict | None, after: dict) -> dict | None:
    """The ``handover_changed`` entry for one stored result, or None when neither handover date changed."""
    old = {name: (before or {}).get(name) for name in DATE_FIELDS}
    if all(old[name] == after[name] for name in DATE_FIELDS):
        return None
    return {
        "prison_number": prison_number,
        **{name: after[name] for name in DATE_FIELDS},
        "responsibility": after.get("responsibility", ""),
        "before": None if before is None else old,
    }


QUEUED_KEY = "handover:recalculation-queued:{}"
QUEUED_SECONDS = 10 * 60
_MISSING = object()


def _own_columns(fields) -> tuple:
    """The columns a model row holds itself among the facts' fields (a lookup through a relation, ``a__b``, is
    watched as its foreign key ``a_id``), so the signals watch exactly what the engine reads."""
    return tuple(dict.fromkeys(name if "__" not in name else name.split("__")[0] + "_id" for name in fields))


# Derived from handover.facts, never listed twice: a field the engine starts reading is watched at once.
WATCHED = {
    Prisoner: tuple(name for name in _own_columns(PRISONER_FIELDS) if name != "prison_number"),
    Sentence: _own_columns(SENTENCE_FIELDS),
    CaseInformation: tuple(name for name in _own_columns(CASE_FIELDS) if name != "prisoner_id"),
}
TRIGGERS = {Prisoner: "prisoner", Sentence: "sentence", CaseInformation: "case information"}
CASEWORK_TRIGGERS = {ParoleReview: "parole review", EarlyAllocation: "early allocation"}


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
    transaction.on_commit(_later(recalculation_queue, number, TRIGGERS[sender]), robust=True)


def casework_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """Any save or delete of a parole review or early allocation assessment recalculates the case after the commit."""
    if raw:
        return
    transaction.on_commit(_later(recalculation_queue, instance.prisoner_id, CASEWORK_TRIGGERS[sender]), robust=True)


def _later(func, *args):
    """``partial(func, *args)`` carrying func's name: Django logs a failing robust callback by its __qualname__."""
    return update_wrapper(partial(func, *args), func)


def recalculation_queue(prison_number: str, trigger: str) -> None:
    """Queue the recalculation unless one is already queued and not yet started."""
    from handover.tasks import handover_recalculate
    from omic.queueing import enqueue

    key = QUEUED_KEY.format(prison_number)
    if cache.add(key, 1, timeout=QUEUED_SECONDS):
        try:
            # broker down: kept in the outbox (one per prisoner) and caught up by omic.jobs_catch_up
            queued = enqueue(handover_recalculate, (prison_number, trigger), key=prison_number)
        except Exception:
            cache.delete(key)  # not queued after all: the next change must queue it
            raise
        if not queued:
            cache.delete(key)


def queued_clear(prison_number: str) -> None:
    cache.delete(QUEUED_KEY.format(prison_number))


def connect() -> None:
    for model in WATCHED:
        post_init.connect(remember, sender=model, dispatch_uid=f"handover-remember-{model.__name__}")
        post_save.connect(changed, sender=model, dispatch_uid=f"handover-changed-{model.__name__}")
    for model in CASEWORK_TRIGGERS:
        post_save.connect(casework_changed, sender=model, dispatch_uid=f"handover-casework-saved-{model.__name__}")
        post_delete.connect(casework_changed, sender=model, dispatch_uid=f"handover-casework-deleted-{model.__name__}")
