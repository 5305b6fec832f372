"""The API: /api/v1/ operations, the OpenAPI schema at /api/schema/ and the docs at /api/docs/."""

from django.urls import include, path

urlpatterns = [
    path("v1/", include("api.read_urls")),
    path("v1/", include("api.ingest_urls")),
]
