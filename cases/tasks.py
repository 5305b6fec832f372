"""Celery tasks for the records layer (thin and idempotent; each has a management command)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="cases.audit_purge")
def audit_purge() -> int:
    """Nightly: delete audit rows older than AUDIT_RETENTION_DAYS (manage.py audit_purge). A rerun deletes nothing."""
    from cases.audit import audit_purge as purge

    return purge(today=timezone.localdate())
