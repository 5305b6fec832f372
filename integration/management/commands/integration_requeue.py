"""Queue overdue inbound events and webhook deliveries again (what the periodic ``integration.requeue_due`` does)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from integration.event_services import events_requeue_due
from integration.webhook_services import deliveries_requeue_due


class Command(BaseCommand):
    help = "Queue again the inbound events and webhook deliveries that are overdue (their queued job was lost)."

    def handle(self, *args, **options):
        now = timezone.now()
        events = events_requeue_due(now=now)
        deliveries = deliveries_requeue_due(now=now)
        self.stdout.write(f"Queued {events} event(s) and {deliveries} webhook delivery(ies).")
