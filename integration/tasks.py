"""Thin Celery tasks of integration: process one inbound event, send one webhook delivery, and the periodic job
that queues again whatever is overdue (``manage.py integration_requeue`` does the same from cron)."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="integration.event_process", bind=True, acks_late=True)
def event_process(self, event_pk: int) -> str:
    """Process one stored inbound event; on a failure, queue the retry after its backoff. Idempotent."""
    from integration.event_services import event_process as process

    result = process(event_pk=event_pk, today=timezone.localdate(), now=timezone.now())
    if result.retry_in is not None and not self.request.is_eager:
        self.apply_async((event_pk,), countdown=result.retry_in)
    return result.outcome


@shared_task(name="integration.webhook_deliver", bind=True, acks_late=True)
def webhook_deliver(self, delivery_pk: int) -> str:
    """Send one webhook delivery; on a failure, queue the retry after its backoff. Idempotent (at least once)."""
    from integration.models import WebhookDelivery
    from integration.webhook_services import delivery_send

    outcome = delivery_send(delivery_pk=delivery_pk)
    if outcome == "retry" and not self.request.is_eager:
        due = WebhookDelivery.objects.filter(pk=delivery_pk).values_list("next_attempt_at", flat=True).first()
        if due is not None:
            self.apply_async((delivery_pk,), eta=due)
    return outcome


@shared_task(name="integration.requeue_due")
def requeue_due() -> dict:
    """Every minute: queue overdue inbound events and webhook deliveries (never lost, even if a job was)."""
    from integration.event_services import events_requeue_due
    from integration.webhook_services import deliveries_requeue_due

    now = timezone.now()
    return {"events": events_requeue_due(now=now), "deliveries": deliveries_requeue_due(now=now)}
