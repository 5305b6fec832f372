"""The REST API for DPS-style integrations under /api/v1/: read, ingest, domain events in and webhooks out."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "REST API"

    def ready(self):
        import api.schema  # noqa: F401  (registers the schema extension for bearer tokens)
