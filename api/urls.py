"""The API: /api/v1/ operations, the token endpoint, the OpenAPI schema at /api/schema/ and the docs at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.token_views import TokenApi

urlpatterns = [
    path("oauth/token", TokenApi.as_view(), name="api_oauth_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("v1/", include("api.read_urls")),
    path("v1/", include("api.ingest_urls")),
]
