"""The audit trail: one append-only row per change to a case, written by the services that make the change."""

import datetime as dt
from decimal import Decimal

from django.db import models

from cases.models import AuditEvent


def _jsonable(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _clean(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {key: _jsonable(value) for key, value in values.items()}


def audit_record(
    *,
    action: str,
    obj: models.Model,
    before: dict | None,
    after: dict | None,
    actor=None,
    actor_label: str = "",
    reason: str = "",
    prisoner=None,
) -> AuditEvent:
    """Record that ``actor`` (a user) or ``actor_label`` (a command or job) changed ``obj`` from before to after."""
    label = actor_label or (actor.get_username() if actor is not None else "system")
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label,
        action=action,
        prisoner=prisoner,
        prison_number=prisoner.pk if prisoner is not None else "",
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        before=_clean(before),
        after=_clean(after),
        reason=reason,
    )
