"""API operations: read."""

urlpatterns: list = []
