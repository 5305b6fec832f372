"""Casework pages: early_allocation."""

urlpatterns: list = []
