"""End a case's POM allocations when its record changes: released, moved to another prison, or given a legal status
outside OMiC allocation (issue #4), whether through ``import_prisoners``, the API or the admin.

``cases`` cannot import ``allocation``, so allocation listens to ``cases.Prisoner`` saves (connected in
``AllocationConfig.ready``), as ``handover.signals`` does. Each prisoner instance remembers the prison and legal
status it was loaded with (``post_init``); a save that changes neither does nothing. A change ends the allocations
once the transaction commits (never on a rollback, so a dry-run import ends nothing), with the trigger
``allocation.calculations.allocation_end_trigger`` gives. ``robust``: a failure is logged and never undoes the saved
record; the nightly ``allocation.end_transfers`` job stays as the safety net for transfers.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_init, post_save

from allocation.calculations import allocation_end_trigger
from cases.models import Prisoner

logger = logging.getLogger(__name__)

WATCHED = ("prison_id", "legal_status")
ACTOR_LABEL = "prisoner record change"
_MISSING = object()


def _snapshot(instance) -> tuple:
    # __dict__, not getattr: reading a deferred field here would cost a query for every instance loaded.
    return tuple(instance.__dict__.get(name, _MISSING) for name in WATCHED)


def remember(sender, instance, **kwargs) -> None:
    instance._allocation_snapshot = _snapshot(instance)


def changed(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    before = getattr(instance, "_allocation_snapshot", None)
    now = _snapshot(instance)
    instance._allocation_snapshot = now
    if raw or created or before is None or before == now or _MISSING in before + now:
        return
    trigger = allocation_end_trigger(
        prison_before=before[0], prison_after=now[0], status_before=before[1], status_after=now[1]
    )
    if trigger is not None:
        transaction.on_commit(partial(allocations_end, instance.pk, trigger), robust=True)


def allocations_end(prison_number: str, trigger: str) -> int:
    from allocation.services import allocations_end_after_change

    ended = allocations_end_after_change(prison_number=prison_number, trigger=trigger, actor_label=ACTOR_LABEL)
    if ended:
        logger.info("Ended %s allocation(s) of %s: %s", ended, prison_number, trigger)
    return ended


def connect() -> None:
    post_init.connect(remember, sender=Prisoner, dispatch_uid="allocation-remember-prisoner")
    post_save.connect(changed, sender=Prisoner, dispatch_uid="allocation-changed-prisoner")
