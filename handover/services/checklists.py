"""Ticking off the handover checklist of a case (DECISIONS.md D-07). Each change is audited.

The tasks a case has come from its handover type (``handover.checklist``); a task outside them is never written.
The nightly recalculation resets the checklist when the case leaves the handover window.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.audit import audit_record
from cases.models import Prisoner
from handover.checklist import TASK_LABELS
from handover.models import HandoverChecklist


@transaction.atomic
def handover_checklist_update(
    *, prisoner: Prisoner, handover_type: str, tasks: tuple[str, ...], done: set[str], actor
) -> HandoverChecklist:
    """Record which of the case's ``tasks`` are done. Saves (and audits) only what changed."""
    unknown = set(done) - set(tasks)
    if unknown or not set(tasks) <= set(TASK_LABELS):
        raise ValidationError({"done": "Select only the tasks on this case's checklist"})
    checklist = HandoverChecklist.objects.select_for_update().filter(prisoner=prisoner).first()
    created = checklist is None
    if created:
        checklist = HandoverChecklist(prisoner=prisoner, handover_type=handover_type)
    changes = {name: (getattr(checklist, name), name in done) for name in tasks}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if checklist.handover_type != handover_type:
        changes["handover_type"] = (checklist.handover_type, handover_type)
    if not created and not changes:
        return checklist
    for name, (_, new) in changes.items():
        setattr(checklist, name, new)
    checklist.updated_by = actor
    checklist.save()
    audit_record(
        action="handover_checklist_updated",
        obj=checklist,
        before=None if created else {name: old for name, (old, _) in changes.items()},
        after={name: new for name, (_, new) in changes.items()},
        actor=actor,
        prisoner=prisoner,
    )
    return checklist
