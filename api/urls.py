"""The API: /api/v1/ operations, the token endpoint, the OpenAPI schema at /api/schema/ and the docs at /api/docs/."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.token_views import TokenApi

SWAGGER_CSP = {"style-src": ["'unsafe-inline'"]}
REDOC_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}

urlpatterns = [
    path("oauth/token", TokenApi.as_view(), name="api_oauth_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The docs pages keep script-src 'self' (Swagger UI's start-up script is served from the same address by the split
    # view) and allow only the inline styles the two viewers inject, and Redoc's blob: worker (docs/security.md).
    path("docs/", csp_update(SWAGGER_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api_schema")), name="api_docs"),
    path(
        "docs/redoc/",
        csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="api_schema", template_name="api/redoc.html")),
        name="api_redoc",
    ),
    path("v1/", include("api.read_urls")),
    path("v1/", include("api.ingest_urls")),
]
