"""Celery tasks: early allocation (thin; each has a management command)."""

from celery import shared_task
from django.utils import timezone

__all__ = ["early_allocation_reminders"]


@shared_task(name="casework.early_allocation_reminders")
def early_allocation_reminders() -> dict:
    """Daily (04:30 Europe/London, as the reference's suitability email): remind each POM whose case, assessed before
    the 18-month window, is now inside it. Idempotent: one reminder per assessment (the email log)."""
    from casework.early_allocation_services import early_allocation_reminders_send

    return early_allocation_reminders_send(today=timezone.localdate())
