"""Dashboard and caseload pages. Every path is under /prisons/<prison:prison_code>/ unless it is national.

One URL module per area, so each can be read on its own.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("dashboards.caseload_urls")),
    path("", include("dashboards.dashboard_urls")),
]
