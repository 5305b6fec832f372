"""Integration with other systems: inbound domain events (stored, idempotent, processed by Celery) and outbound
webhooks (signed, retried, logged). The API's ingest operations hand over to it."""

from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = "Integration: domain events and webhooks"

    def ready(self):
        from integration import signals

        signals.connect()
