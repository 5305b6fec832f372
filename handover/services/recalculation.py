"""Recalculate one prisoner's handover: compute, compare, save only on change, then act after the commit.

``recalculate`` is what the on-change signals (via the ``handover.recalculate`` task) and the
``handover_recalculate`` command call. A change saves the CalculatedHandover, adds a history row with the inputs as
they were and records an audit event. After the commit, each step isolated so one failing never stops the others:
the checklist is reset when the case leaves the handover window (reference 3.8 item 14), the alerts are brought up
to date, and the delivery unit is asked to assign a COM to a short sentence (at most every 2 days).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.models import AuditEvent
from cases.services import prisoner_lock
from handover.calculations import calculate
from handover.facts import fact_row, facts_from_row, has_case_information
from handover.models import CalculatedHandover, CalculatedHandoverHistory, HandoverChecklist
from handover.services import stored
from handover.signals import handover_changed, handover_dates_change

logger = logging.getLogger(__name__)

CREATED, CHANGED, UNCHANGED, SKIPPED = "created", "changed", "unchanged", "skipped"
CHECKLIST_TASKS = ("reviewed_oasys", "contacted_com", "attended_handover_meeting", "sent_handover_report")


@dataclass
class Recalculation:
    prison_number: str
    outcome: str  # created, changed, unchanged, or skipped (no such prisoner, or no case information)
    handover: CalculatedHandover | None = None


def recalculate(prison_number: str, *, today: dt.date, trigger: str, actor=None) -> Recalculation:
    """Recalculate and store one prisoner's handover; the after-commit steps run once the caller's commit is done."""
    with transaction.atomic():
        # Lock the prisoner: two recalculations of one case (two quick changes) then run one after the other.
        prisoner_lock(prison_number)
        row = fact_row(prison_number)
        if row is None or not has_case_information(row):
            return Recalculation(prison_number, SKIPPED)
        facts = facts_from_row(row, today)
        result = calculate(facts, today)
        after = stored.result_values(facts, result)
        handover = CalculatedHandover.objects.select_for_update().filter(prisoner_id=prison_number).first()
        before = stored.stored_values(handover)
        changed = stored.differs(before, after)
        if changed:
            now = timezone.now()
            handover = stored.apply(
                handover or CalculatedHandover(prisoner_id=prison_number), after, today=today, now=now
            )
            handover.save()
            CalculatedHandoverHistory.objects.create(**stored.history_for(handover, trigger=trigger, now=now))
            label = actor.get_username() if actor is not None else f"handover recalculation ({trigger})"
            event = stored.audit_for(
                handover, before=before, actor_label=label, reason=f"Recalculated: {trigger}", now=now
            )
            AuditEvent.objects.create(**{**event, "actor_id": None if actor is None else actor.pk})
            dates_change = handover_dates_change(prison_number, before, after)
            if dates_change is not None:
                handover_changed.send(sender=CalculatedHandover, changes=[dates_change])
        transaction.on_commit(
            lambda: after_recalculation(prison_number, before=before, after=after, changed=changed, today=today),
            robust=True,
        )
    outcome = (CREATED if before is None else CHANGED) if changed else UNCHANGED
    return Recalculation(prison_number, outcome, handover)


def after_recalculation(prison_number: str, *, before: dict | None, after: dict, changed: bool, today: dt.date):
    """The after-commit steps for one case, each isolated: checklist reset, alerts, the LDU "assign a COM" email."""
    from handover.services.alerts import alerts_sync
    from handover.services.notifications import ldu_assign_com_send

    steps = []
    if changed and stored.leaves_handover_window(before, after, today):
        steps.append(("checklist reset", lambda: checklists_reset([prison_number], after_types={prison_number: after})))
    steps.append(("alerts", lambda: alerts_sync(today=today, prisoner_ids=[prison_number])))
    steps.append(("assign a COM email", lambda: ldu_assign_com_send(today=today, prisoner_ids=[prison_number])))
    for name, step in steps:
        try:
            step()
        except Exception:
            logger.exception("handover %s failed for %s", name, prison_number)


def checklists_reset(prison_numbers, *, after_types: dict) -> int:
    """Untick every task of these cases' checklists (the case left the handover window), with an audit event each."""
    from cases.audit import audit_record

    reset = 0
    with transaction.atomic():
        for checklist in (
            HandoverChecklist.objects.select_for_update()
            .select_related("prisoner")
            .filter(prisoner_id__in=list(prison_numbers))
        ):
            ticked = {name: True for name in CHECKLIST_TASKS if getattr(checklist, name)}
            new_type = after_types[checklist.prisoner_id]["handover_type"]
            if not ticked and checklist.handover_type == new_type:
                continue
            before = {**ticked, "handover_type": checklist.handover_type}
            for name in ticked:
                setattr(checklist, name, False)
            checklist.handover_type = new_type
            checklist.save()
            audit_record(
                action="handover_checklist_reset",
                obj=checklist,
                before=before,
                after={**{name: False for name in ticked}, "handover_type": new_type},
                actor_label="handover recalculation",
                reason="The case left the handover window",
                prisoner=checklist.prisoner,
            )
            reset += 1
    return reset
