"""API operations: ingest."""

urlpatterns: list = []
