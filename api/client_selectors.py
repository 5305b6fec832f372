"""Reads of API clients for the service admin pages and the command."""

from django.db.models import QuerySet

from api.models import ApiClient


def api_client_list() -> QuerySet[ApiClient]:
    """Every client by name, with its prisons (two queries)."""
    return ApiClient.objects.prefetch_related("prisons").order_by("name")
