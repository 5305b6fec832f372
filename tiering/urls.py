"""tiering pages. Every path is under /prisons/<prison:prison_code>/ unless it is national."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
