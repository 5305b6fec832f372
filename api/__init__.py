"""The REST API for DPS-style integrations under /api/v1/: read, ingest, domain events in and webhooks out."""
