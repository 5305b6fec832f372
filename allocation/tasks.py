"""Allocation's Celery tasks: thin, with primitive arguments, each calling one service.

Celery autodiscovers only ``allocation.tasks``: the staff pages' tasks are imported here so that a worker registers
them too.
"""

from celery import shared_task

from allocation.staff_tasks import bulk_reallocation_email_send

__all__ = ["bulk_reallocation_email_send", "end_transfers", "pom_email_send"]


@shared_task(name="allocation.pom_email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def pom_email_send(kind: str, allocation_id: int, pom_id: int) -> int | None:
    from allocation.emails import pom_email_send as send

    sent = send(kind=kind, allocation_id=allocation_id, pom_id=pom_id)
    return sent.pk if sent else None


@shared_task(name="allocation.end_transfers")
def end_transfers() -> int:
    """Nightly: end the allocations of cases that have moved prison (manage.py allocation_end_transfers)."""
    from allocation.services import allocations_end_for_transfers

    return allocations_end_for_transfers()
