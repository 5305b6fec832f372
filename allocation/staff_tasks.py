"""Celery tasks of the POM staff pages: thin, idempotent, one email each.

The worker finds these because ``allocation.tasks`` imports this module (Celery autodiscovers ``tasks`` modules).
"""

from celery import shared_task


@shared_task(name="allocation.bulk_reallocation_email_send", acks_late=True)
def bulk_reallocation_email_send(kind: str, pom_id: int, source_id: int, target_id: int, allocation_ids: list[int]):
    from allocation.staff_services import bulk_reallocation_email

    email = bulk_reallocation_email(
        kind=kind, pom_id=pom_id, source_id=source_id, target_id=target_id, allocation_ids=allocation_ids
    )
    return email.pk if email else None
