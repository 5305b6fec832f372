"""On-change recompute of case tasks: after the commit of a change to a case's facts, queue that case's recompute.

Watched: exactly the columns the task engine reads (derived from ``casework.task_facts.FACT_VALUES``, never listed
twice) on a prisoner, sentence, case information or the handover engine's stored result (earliest release, handover
start date and type); and any save or delete of a parole review or early allocation assessment. Each watched
instance remembers the watched values it was loaded with (``post_init``): a save that changes none of them queues
nothing. A POM allocation is not a fact of the tasks: lists scope by the current POM when they are read.
A change queues the recompute once the transaction commits (never on a rollback); while one is queued and not yet
started, another change to the same case does not queue a second (a cache flag the job clears when it starts). The
job is idempotent.
"""

from functools import partial, update_wrapper

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from cases.models import CaseInformation, EarlyAllocation, ParoleReview, Prisoner, Sentence
from casework.task_facts import FACT_VALUES
from handover.models import CalculatedHandover

QUEUED_SECONDS = 10 * 60
_MISSING = object()


def _columns(prefix: str | None) -> tuple:
    names = []
    for value in FACT_VALUES:
        parts = value.split("__")
        if prefix is None:
            names.append(parts[0] if len(parts) == 1 else parts[0] + "_id")
        elif parts[0] == prefix and len(parts) == 2:
            names.append(parts[1])
    return tuple(name for name in dict.fromkeys(names) if name not in ("prison_number", "prison_id_id"))


WATCHED = {
    Prisoner: tuple(
        n for n in _columns(None) if n not in ("sentence_id", "case_information_id", "calculated_handover_id")
    ),
    Sentence: _columns("sentence"),
    CaseInformation: _columns("case_information"),
    CalculatedHandover: _columns("calculated_handover"),
}
ANY_CHANGE = (ParoleReview, EarlyAllocation)


def _snapshot(instance) -> tuple:
    # __dict__, not getattr: reading a deferred field here would cost a query for every instance loaded.
    return tuple(instance.__dict__.get(name, _MISSING) for name in WATCHED[type(instance)])


def remember(sender, instance, **kwargs) -> None:
    instance._tasks_snapshot = _snapshot(instance)


def recompute_queue(prison_number: str) -> None:
    from casework.task_jobs import QUEUED_KEY, tasks_recompute_case
    from omic.queueing import enqueue

    key = QUEUED_KEY.format(prison_number)
    if cache.add(key, 1, timeout=QUEUED_SECONDS):
        try:
            queued = enqueue(tasks_recompute_case, (prison_number,))  # broker down: caught up by jobs_catch_up
        except Exception:
            cache.delete(key)  # not queued after all: the next change must queue it
            raise
        if not queued:
            cache.delete(key)


def _queue_after_commit(sender, instance) -> None:
    number = instance.pk if sender is Prisoner else instance.prisoner_id
    # named like recompute_queue: Django logs a failing robust callback by its __qualname__
    transaction.on_commit(update_wrapper(partial(recompute_queue, number), recompute_queue), robust=True)


def fact_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    now = _snapshot(instance)
    if not created and getattr(instance, "_tasks_snapshot", None) == now:
        return
    instance._tasks_snapshot = now
    _queue_after_commit(sender, instance)


def casework_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    _queue_after_commit(sender, instance)


def connect() -> None:
    for model in WATCHED:
        post_init.connect(remember, sender=model, dispatch_uid=f"casework-tasks-remember-{model.__name__}")
        post_save.connect(fact_saved, sender=model, dispatch_uid=f"casework-tasks-saved-{model.__name__}")
    for model in ANY_CHANGE:
        post_save.connect(casework_changed, sender=model, dispatch_uid=f"casework-tasks-casework-{model.__name__}")
        post_delete.connect(casework_changed, sender=model, dispatch_uid=f"casework-tasks-deleted-{model.__name__}")
