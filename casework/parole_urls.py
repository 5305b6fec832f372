"""Casework pages: parole."""

urlpatterns: list = []
