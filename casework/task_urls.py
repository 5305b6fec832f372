"""Casework pages: task."""

urlpatterns: list = []
