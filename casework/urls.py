"""Casework pages. Every path is under /prisons/<prison:prison_code>/ unless it is national.

One URL module per area, so each can be read on its own.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("casework.early_allocation_urls")),
    path("", include("casework.parole_urls")),
    path("", include("casework.recall_urls")),
    path("", include("casework.task_urls")),
]
