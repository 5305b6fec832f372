"""The audit trail: one append-only row per change to a case, written by the services that make the change.

Every row carries the request id (``omic.request_id``) of the web request that made the change, or that queued the
job that made it. Old rows are removed only by the retention purge (``audit_purge``), after AUDIT_RETENTION_DAYS.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from cases.models import AuditEvent
from omic.request_id import current_request_id

PURGE_BATCH_SIZE = 5000
RECORD_VIEWED = "record_viewed"


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
        request_id=current_request_id(),
    )


def audit_record_viewed(*, actor, prisoner, what: str = "profile") -> AuditEvent:
    """Someone read a prisoner's full record (the profile page, a subject access export): that is audited too."""
    return audit_record(action=RECORD_VIEWED, obj=prisoner, before=None, after={"viewed": what}, actor=actor,
                        prisoner=prisoner)  # fmt: skip


def audit_purge_cutoff(*, today: dt.date, retention_days: int) -> dt.datetime:
    """The first moment kept: midnight (Europe/London) ``retention_days`` days before ``today``."""
    day = today - dt.timedelta(days=retention_days)
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo("Europe/London"))


def audit_purge(*, today: dt.date, retention_days: int | None = None, batch_size: int = PURGE_BATCH_SIZE,
                progress=None) -> int:  # fmt: skip
    """Delete audit rows older than the retention period, ``batch_size`` at a time; returns how many went.

    The only path that deletes audit rows (``AuditEventQuerySet.purge``, which the PostgreSQL trigger lets through).
    ``progress`` is called with the number deleted after each batch (the command's tqdm bar).
    """
    days = settings.AUDIT_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = audit_purge_cutoff(today=today, retention_days=days)
    deleted = 0
    while True:
        ids = list(AuditEvent.objects.filter(created_at__lt=cutoff).order_by("id").values_list("id", flat=True)[
            :batch_size])  # fmt: skip
        if not ids:
            return deleted
        count = AuditEvent.objects.filter(id__in=ids).purge()
        deleted += count
        if progress is not None:
            progress(count)
