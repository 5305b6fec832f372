"""Integration with other systems: inbound domain events (stored, idempotent, processed by Celery) and outbound
webhooks (signed, retried, logged). The API's ingest operations hand over to it."""
