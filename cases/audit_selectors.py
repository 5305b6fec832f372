"""Reads of the audit trail for the service admins' search page and its CSV export."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from cases.models import AuditEvent

LONDON = ZoneInfo("Europe/London")


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def audit_event_search(
    *,
    person: str = "",
    prison_number: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events newest first, filtered by who (username contains), prisoner, action and day (Europe/London,
    both ends included). Lazy: the caller pages it or streams it."""
    events = AuditEvent.objects.all()
    if person:
        events = events.filter(actor_label__icontains=person)
    if prison_number:
        events = events.filter(prison_number=prison_number.upper())
    if action:
        events = events.filter(action=action)
    if date_from is not None:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(created_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return events.order_by("-created_at", "-id")


def audit_action_choices() -> list[str]:
    """Every action recorded so far, A to Z: the search page's action filter. One query."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
